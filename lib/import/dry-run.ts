// Reading an import: a dry run streams the file into staging rows, then plans what a commit would change. Writes
// nothing outside staging and its batch.
import { eq, sql } from 'drizzle-orm';
import type { Db, Queryable } from '@/db';
import { CopyText, copyText } from '@/db/copy';
import { importBatches, importConsents, importRows, marketPolicies, suppressions } from '@/db/schema';
import { contactHash } from '@/lib/suppressions';
import { ignoredConsentColumns } from './fields';
import { applySuppressions, markDuplicates, plan, summarize } from './plan';
import { ImportFileError, readRecords } from './read';
import { FIRST_ISSUES, clearStaging, forBulkWork } from './staging';
import type { DryRunSummary, ImportProgress, ImportSettings, IssueAt } from './types';
import { columnsOf, rowValidator } from './validate';
import type { FileSource } from '@/lib/files/store';
import { columnList } from '@/db/columns';

const FLUSH_ROWS = 50_000;

// The staging columns the COPY text below is built for, in the order its lines give them.
const ROW_COLUMNS = columnList(importRows, {
  pick: [
    'batchId',
    'rowNo',
    'line',
    'externalId',
    'firstName',
    'lastName',
    'email',
    'phone',
    'market',
    'language',
    'lastOrderAt',
    'emailHash',
    'phoneHash',
    'outcome',
    'error',
    'warnings',
    'marketplace',
  ],
}).names;
// Every column but `source`, which keeps its default.
const CONSENT_COLUMNS = columnList(importConsents, { omit: ['source'] }).names;

/** The batch was committed, discarded or claimed by a commit (perhaps from another tab) before its dry run could start. */
export class ImportNotOpen extends Error {
  constructor() {
    super('import batch is not open for a dry run');
  }
}

/** The markets rows may name: those with rules of their own. */
export async function configuredMarkets(q: Queryable): Promise<Set<string>> {
  const rows = await q.selectDistinct({ market: marketPolicies.market }).from(marketPolicies);
  return new Set(rows.map((r) => r.market).filter((m) => m !== 'EU'));
}

/**
 * Streams the file into the staging rows of the batch and works out what a commit would do. Writes nothing outside
 * staging. Throws ImportFileError when the file as a whole cannot be read.
 */
export async function dryRun(
  db: Db,
  batchId: number,
  file: FileSource,
  settings: ImportSettings,
  onProgress: (p: ImportProgress) => void = () => {},
  now: Date = new Date(),
): Promise<DryRunSummary> {
  return db.transaction(async (tx) => {
    // The batch stays put until the dry run is done: discarding it meanwhile waits, then removes what the dry run left.
    const [batch] = await tx
      .select({ status: importBatches.status })
      .from(importBatches)
      .where(eq(importBatches.id, batchId))
      .for('update');
    // Open, or claimed for this dry run by requestDryRun.
    if (batch?.status !== 'dry_run' && batch?.status !== 'checking') throw new ImportNotOpen();
    onProgress({ phase: 'reading', done: 0, total: 0 });
    await forBulkWork(tx);
    await clearStaging(tx, batchId);
    const markets = await configuredMarkets(tx);
    // Contact points are hashed only to look them up among suppressions; with none, there is nothing to look up.
    const suppressionCount = await tx.$count(suppressions);
    const suppressing = suppressionCount > 0;
    const columns = columnsOf(settings.mapping);
    const firstErrors: IssueAt[] = [];
    const firstWarnings: IssueAt[] = [];
    let header: string[] | null = null;
    let validate: ReturnType<typeof rowValidator> | null = null;
    // The first rows, for reading a bare channel column by its values as the mapping step did.
    const preview: string[][] = [];
    // The rows and their consents as COPY text, built as the file is read.
    const rows = new CopyText();
    const consents = new CopyText();
    let count = 0;
    // One batch goes into the database while the next is read: the file is read and checked here while PostgreSQL
    // loads the rows before them.
    let loading: Promise<void> = Promise.resolve();
    const flush = async () => {
      const batch = { rows: rows.take(), consents: consents.take() };
      await loading;
      loading = (async () => {
        await copyText(tx, 'import_rows', ROW_COLUMNS, batch.rows);
        await copyText(tx, 'import_consents', CONSENT_COLUMNS, batch.consents);
      })();
      // Awaited at the next flush; until then a failure must not count as unhandled.
      loading.catch(() => {});
      onProgress({ phase: 'reading', done: count, total: 0 });
    };

    try {
      for await (const { rowNo, line, record, strayQuote } of readRecords(file.open(tx), settings.format, { header: true })) {
        if (!header || !validate) {
          header = record.map((h) => h.trim());
          validate = rowValidator(header, columns, markets, settings.options, now);
          continue;
        }
        count++;
        if (preview.length < 5) preview.push(record);
        const { customer: c, consents: given, errors, warnings } = validate(record);
        // A lenient read took a stray quote as text: the row is read, and says where to look.
        if (strayQuote !== undefined)
          warnings.push({ code: 'stray_quote', column: header[strayQuote] ?? `#${strayQuote + 1}`, value: record[strayQuote] ?? '' });
        for (const e of errors) if (firstErrors.length < FIRST_ISSUES) firstErrors.push({ ...e, row: rowNo, line });
        for (const w of warnings) if (firstWarnings.length < FIRST_ISSUES) firstWarnings.push({ ...w, row: rowNo, line });
        const rejected = errors.length > 0;
        rows.add([
          batchId,
          rowNo,
          line,
          c.externalId,
          c.firstName,
          c.lastName,
          c.email,
          c.phone,
          c.market,
          c.language,
          c.lastOrderAt,
          suppressing && c.email ? contactHash('email', c.email) : null,
          suppressing && c.phone ? contactHash('phone', c.phone) : null,
          rejected ? 'rejected' : null,
          rejected ? JSON.stringify(errors) : null,
          warnings.length > 0 ? warnings : null,
          c.marketplace,
        ]);
        if (!rejected) for (const e of given) consents.add([batchId, rowNo, e.channel, e.purpose, e.kind, e.occurredAt, e.evidence]);
        if (rows.lines >= FLUSH_ROWS) await flush();
      }
    } finally {
      // A file that stops being readable half-way leaves no load running into the rollback.
      await loading.catch(() => {});
    }
    await loading;
    if (!header) throw new ImportFileError('empty');
    if (count === 0) throw new ImportFileError('header_only');
    await flush();
    await loading;
    onProgress({ phase: 'checking', done: count, total: count });
    // The planner must know that staging holds a million rows, not the handful an empty table suggests.
    await tx.execute(sql`analyze import_rows`);
    await tx.execute(sql`analyze import_consents`);

    await markDuplicates(tx, batchId, header, settings.mapping, firstErrors);
    if (suppressing) await applySuppressions(tx, batchId, firstWarnings);
    await plan(tx, batchId, false);
    const summary: DryRunSummary = {
      ...(await summarize(tx, batchId, firstErrors, firstWarnings)),
      ignoredConsentColumns: ignoredConsentColumns(header, settings.mapping, preview),
    };
    await tx
      .update(importBatches)
      .set({
        status: 'dry_run',
        failure: null,
        rowsTotal: summary.rows,
        rowsNew: summary.new,
        rowsUpdated: summary.updated,
        rowsUnchanged: summary.unchanged,
        rowsRejected: summary.rejected,
        options: sql`${importBatches.options} || ${JSON.stringify({ ...settings, summary, suppressions: suppressionCount })}::jsonb`,
      })
      .where(eq(importBatches.id, batchId));
    return summary;
  });
}
