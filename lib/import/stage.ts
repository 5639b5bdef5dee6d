// The import pipeline: a dry run streams the file into staging rows and works out what a commit would change; the
// commit then writes customers, ledger events and state from those rows in one transaction.
import type { SQL } from 'drizzle-orm';
import { eq, sql } from 'drizzle-orm';
import type { Db, Queryable } from '@/db';
import { CopyText, copyText } from '@/db/copy';
import { rowsOf } from '@/db/sql';
import { importBatches, marketPolicies, suppressions } from '@/db/schema';
import { writeAudit } from '@/lib/audit/write';
import type { Channel } from '@/lib/consent';
import { CHANNELS } from '@/lib/consent';
import { NEW_LEDGER_COLUMNS, NEW_LEDGER_TABLE, projectNewLedgers, rebuildConsentState } from '@/lib/consent-store/project';
import { clearStaging } from './batches';
import { contactHash } from '@/lib/suppressions';
import type { Mapping } from './fields';
import { ignoredConsentColumns } from './fields';
import type { ImportProgress } from './progress';
import type { CsvFormat } from './read';
import type { FileSource } from '@/lib/files/store';
import { ImportFileError, readRecords } from './read';
import type { ImportOptions, RowIssue } from './validate';
import { columnsOf, rowValidator } from './validate';

export type ImportSettings = { format: CsvFormat; mapping: Mapping; options: ImportOptions };

export type IssueAt = RowIssue & { row: number; line: number };

export type DryRunSummary = {
  rows: number;
  new: number;
  updated: number;
  unchanged: number;
  rejected: number;
  warned: number;
  /** Valid rows of Amazon buyers (relay e-mail or Amazon order source); absent in summaries stored before it was counted. */
  marketplace?: number;
  events: Record<Channel, number>;
  firstErrors: IssueAt[];
  firstWarnings: IssueAt[];
  /** Columns that look like consent but that the mapping leaves out (absent from dry runs made before this was kept). */
  ignoredConsentColumns?: string[];
};

const FLUSH_ROWS = 50_000;
const FIRST_ISSUES = 20;

const ROW_COLUMNS = [
  'batch_id', 'row_no', 'line', 'external_id', 'first_name', 'last_name', 'email', 'phone', 'market', 'language',
  'last_order_at', 'email_hash', 'phone_hash', 'outcome', 'error', 'warnings', 'marketplace',
];
const CONSENT_COLUMNS = ['batch_id', 'row_no', 'channel', 'purpose', 'kind', 'occurred_at', 'evidence'];

/** The batch was committed or discarded (perhaps from another tab) before its dry run could start. */
export class ImportNotOpen extends Error {
  constructor() {
    super('import batch is not open for a dry run');
  }
}

/**
 * Settings for statements over a whole file, for the rest of the transaction: memory for the joins and sorts instead
 * of spilling to disk, and no statement limit.
 */
export async function forBulkWork(tx: Queryable): Promise<void> {
  await tx.execute(sql`set local work_mem = '128MB'`);
  // Each statement runs once, over a whole file: compiling it to machine code costs more than it saves.
  await tx.execute(sql`set local jit = off`);
  // A statement over a whole file (a million rows) may run longer than the pool's limit, which is there for requests.
  await tx.execute(sql`set local statement_timeout = 0`);
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
    const [batch] = await tx.select({ status: importBatches.status }).from(importBatches).where(eq(importBatches.id, batchId)).for('update');
    if (batch?.status !== 'dry_run') throw new ImportNotOpen();
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
        if (strayQuote !== undefined) warnings.push({ code: 'stray_quote', column: header[strayQuote] ?? `#${strayQuote + 1}`, value: record[strayQuote] ?? '' });
        for (const e of errors) if (firstErrors.length < FIRST_ISSUES) firstErrors.push({ ...e, row: rowNo, line });
        for (const w of warnings) if (firstWarnings.length < FIRST_ISSUES) firstWarnings.push({ ...w, row: rowNo, line });
        const rejected = errors.length > 0;
        rows.add([
          batchId, rowNo, line, c.externalId, c.firstName, c.lastName, c.email, c.phone, c.market, c.language, c.lastOrderAt,
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
    const summary: DryRunSummary = { ...(await summarize(tx, batchId, firstErrors, firstWarnings)), ignoredConsentColumns: ignoredConsentColumns(header, settings.mapping, preview) };
    await tx
      .update(importBatches)
      .set({
        status: 'dry_run',
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

/** Rows that repeat an earlier row's external id, e-mail or phone are rejected and point at that row. */
async function markDuplicates(q: Queryable, batchId: number, header: string[], mapping: Mapping, firstErrors: IssueAt[]): Promise<void> {
  const keys = [
    { column: 'external_id', code: 'duplicate_external_id', target: 'externalId' },
    { column: 'email', code: 'duplicate_email', target: 'email' },
    { column: 'phone', code: 'duplicate_phone', target: 'phone' },
  ] as const;
  for (const key of keys) {
    const i = mapping.indexOf(key.target);
    if (i < 0) continue;
    const col = sql.raw(key.column);
    const issue = sql`jsonb_build_array(jsonb_build_object('code', ${key.code}::text, 'column', ${header[i] ?? key.column}::text, 'value', r.${col}, 'otherRow', d.first))::text`;
    // Grouping (hashing) the values finds the few that repeat without sorting every row.
    const marked = rowsOf<{ row_no: number; line: number; value: string; first: number }>(
      await q.execute(sql`
        with d as (
          select ${col} as value, min(row_no) as first
          from import_rows where batch_id = ${batchId} and outcome is null and ${col} is not null
          group by ${col} having count(*) > 1)
        update import_rows r set outcome = 'rejected', error = ${issue}
        from d
        where r.batch_id = ${batchId} and r.outcome is null and r.${col} = d.value and r.row_no <> d.first
        returning r.row_no, r.line, r.${col} as value, d.first`),
    );
    for (const m of marked.sort((a, b) => a.row_no - b.row_no)) {
      if (firstErrors.length >= FIRST_ISSUES) break;
      firstErrors.push({ code: key.code, column: header[i] ?? null, value: m.value, otherRow: m.first, row: m.row_no, line: m.line });
    }
  }
  firstErrors.sort((a, b) => a.row - b.row);
  firstErrors.splice(FIRST_ISSUES);
  // The consents of the rows rejected here stay in staging: only rows in the plan (never rejected ones) are written.
}

const PHONE_CHANNELS = CHANNELS.filter((c) => c !== 'email');

/**
 * A suppressed contact point stays withdrawn for the channels and purposes it was suppressed for: its grants of those
 * in the file are dropped (with a warning) and the row brings a withdrawal of each, dated when the contact point was
 * suppressed. A marketing-only suppression leaves the row's transactional answers as the file gives them.
 */
async function applySuppressions(q: Queryable, batchId: number, firstWarnings: IssueAt[]): Promise<void> {
  const channelsOf = sql`case when s.kind = 'email' then array['email']::channel[] else ${`{${PHONE_CHANNELS.join(',')}}`}::channel[] end`;
  const hits = sql`
    select r.row_no, r.line, s.kind::text as kind, s.created_at, s.reason, ch.channel, p.purpose
    from import_rows r
    join suppressions s on (s.kind = 'email' and s.value_hash = r.email_hash) or (s.kind = 'phone' and s.value_hash = r.phone_hash)
    cross join lateral unnest(${channelsOf}) as ch(channel)
    cross join (values ('marketing'::purpose), ('transactional'::purpose)) as p(purpose)
    where r.batch_id = ${batchId} and r.outcome is null and (s.channel is null or s.channel = ch.channel)
      and (s.purpose is null or s.purpose = p.purpose)`;
  const dropped = rowsOf<{ row_no: number; line: number; channel: Channel }>(
    await q.execute(sql`
      with h as (${hits}),
      del as (
        delete from import_consents c using h
        where c.batch_id = ${batchId} and c.row_no = h.row_no and c.channel = h.channel and c.purpose = h.purpose and c.kind = 'granted'
        returning c.row_no, h.line, c.channel),
      warned as (
        update import_rows r set warnings = coalesce(r.warnings, '[]'::jsonb) || w.list
        from (select row_no, jsonb_agg(distinct jsonb_build_object('code', 'suppressed_contact', 'column', null, 'value', channel)) as list
              from del group by row_no) w
        where r.batch_id = ${batchId} and r.row_no = w.row_no)
      select distinct row_no, line, channel from del`),
  );
  // One withdrawal per row, channel and purpose, from the earliest suppression; none where the row already brings a
  // withdrawal of the same second, which would be the same ledger event.
  await q.execute(sql`
    with h as (${hits}),
    w as (
      select distinct on (h.row_no, h.channel, h.purpose) h.row_no, h.channel, h.purpose, h.created_at, h.reason, h.kind
      from h
      order by h.row_no, h.channel, h.purpose, h.created_at)
    insert into import_consents (batch_id, row_no, channel, purpose, kind, source, occurred_at, evidence)
    select ${batchId}::int, w.row_no, w.channel, w.purpose, 'withdrawn'::consent_event_kind, 'suppression', w.created_at, jsonb_build_object('reason', w.reason, 'contactPoint', w.kind)
    from w
    where not exists (
      select 1 from import_consents x
      where x.batch_id = ${batchId} and x.row_no = w.row_no and x.channel = w.channel and x.purpose = w.purpose and x.kind = 'withdrawn'
        and floor(extract(epoch from x.occurred_at)) = floor(extract(epoch from w.created_at)))`);
  for (const d of dropped.sort((a, b) => a.row_no - b.row_no)) {
    if (firstWarnings.length >= FIRST_ISSUES) break;
    firstWarnings.push({ code: 'suppressed_contact', column: null, value: d.channel, row: d.row_no, line: d.line });
  }
}

// The idempotency key of an imported event: the same answer for the same customer is written once, whichever file brings it.
const eventKey = (customerId: SQL) =>
  sql`'import:' || ${customerId} || ':' || c.channel || ':' || c.purpose || ':' || c.kind || ':' || coalesce(floor(extract(epoch from c.occurred_at))::bigint::text, 'undated')`;

/**
 * Matches the valid rows to existing customers (external id, then e-mail, then phone) and sorts them into new,
 * updated and unchanged, in a plan table of this transaction; with `assignIds` new rows get their customer ids.
 * The answers of matched rows that the ledger does not hold yet go into a second table, so that the ledger is probed
 * once per answer. Set-based: each key is matched in one join (hashed for a large file), not looked up row by row,
 * and only rows no earlier key matched are matched by the next.
 */
async function plan(q: Queryable, batchId: number, assignIds: boolean): Promise<void> {
  await q.execute(sql`create temp table if not exists import_plan (row_no int, customer_id bigint, outcome text) on commit drop`);
  await q.execute(sql`create temp table if not exists import_unwritten (row_no int, channel channel) on commit drop`);
  await q.execute(sql`truncate import_plan, import_unwritten`);
  await q.execute(sql`
    create temp table import_matched on commit drop as
    with r as materialized (
      select row_no, external_id, first_name, last_name, email, phone, market, language, last_order_at, marketplace
      from import_rows where batch_id = ${batchId} and outcome is null),
    by_external_id as materialized (select r.*, x.id from r left join customers x on x.external_id = r.external_id),
    by_email as materialized (
      select b.row_no, min(c.id) as id from by_external_id b join customers c on c.email = b.email
      where b.id is null group by b.row_no),
    by_phone as (
      select b.row_no, min(c.id) as id from by_external_id b join customers c on c.phone = b.phone
      where b.id is null and not exists (select 1 from by_email e where e.row_no = b.row_no) group by b.row_no)
    select b.row_no, b.external_id, b.first_name, b.last_name, b.email, b.phone, b.market, b.language, b.last_order_at,
           b.marketplace, coalesce(b.id, e.id, p.id) as id
    from by_external_id b
    left join by_email e on e.row_no = b.row_no
    left join by_phone p on p.row_no = b.row_no`);
  await q.execute(sql`analyze import_matched`);
  // Answers of matched rows that the ledger does not hold yet: the events such a row would add.
  await q.execute(sql`
    insert into import_unwritten (row_no, channel)
    select c.row_no, c.channel from import_consents c join import_matched m on m.row_no = c.row_no
    where c.batch_id = ${batchId} and m.id is not null
      and not exists (select 1 from consent_events e where e.idempotency_key = ${eventKey(sql`m.id`)})`);
  const newId = assignIds ? sql`nextval(pg_get_serial_sequence('customers', 'id'))` : sql`null::bigint`;
  await q.execute(sql`
    insert into import_plan (row_no, customer_id, outcome)
    select m.row_no, coalesce(m.id, ${newId}),
      case when m.id is null then 'new' when
        (m.external_id is not null and m.external_id is distinct from x.external_id) or
        (m.first_name is not null and m.first_name is distinct from x.first_name) or
        (m.last_name is not null and m.last_name is distinct from x.last_name) or
        (m.email is not null and m.email is distinct from x.email) or
        (m.phone is not null and m.phone is distinct from x.phone) or
        (m.market is not null and m.market is distinct from x.market) or
        (m.language is not null and m.language is distinct from x.language) or
        (m.last_order_at is not null and m.last_order_at is distinct from x.last_order_at) or
        (m.marketplace is not null and x.marketplace is null) or
        exists (select 1 from import_unwritten u where u.row_no = m.row_no)
      then 'updated' else 'unchanged' end
    from import_matched m
    left join customers x on x.id = m.id
    order by m.row_no`);
  await q.execute(sql`drop table import_matched`);
  await q.execute(sql`analyze import_plan`);
}

async function summarize(q: Queryable, batchId: number, firstErrors: IssueAt[], firstWarnings: IssueAt[]): Promise<DryRunSummary> {
  const [counts] = rowsOf<{ rows: number; new: number; updated: number; unchanged: number; rejected: number; warned: number; marketplace: number }>(
    await q.execute(sql`
      select (select count(*) from import_rows where batch_id = ${batchId})::int as rows,
             count(*) filter (where outcome = 'new')::int as new,
             count(*) filter (where outcome = 'updated')::int as updated,
             count(*) filter (where outcome = 'unchanged')::int as unchanged,
             (select count(*) from import_rows where batch_id = ${batchId} and outcome = 'rejected')::int as rejected,
             (select count(*) from import_rows where batch_id = ${batchId} and outcome is null and warnings is not null)::int as warned,
             (select count(*) from import_rows where batch_id = ${batchId} and outcome is null and marketplace is not null)::int as marketplace
      from import_plan`),
  );
  // Every answer of a new row is written; of a matched row, those plan() found missing from the ledger.
  const perChannel = rowsOf<{ channel: Channel; n: number }>(
    await q.execute(sql`
      select channel, count(*)::int as n from (
        select c.channel from import_consents c join import_plan p on p.row_no = c.row_no
        where c.batch_id = ${batchId} and p.outcome = 'new'
        union all
        select channel from import_unwritten) a
      group by channel`),
  );
  const events = Object.fromEntries(CHANNELS.map((ch) => [ch, perChannel.find((p) => p.channel === ch)?.n ?? 0])) as Record<Channel, number>;
  return { ...counts!, events, firstErrors, firstWarnings };
}

/**
 * `stale`: contact points were suppressed since a dry run that had no suppressions to look up, so its rows carry no
 * hashes to look them up by; a new dry run does.
 */
export type CommitResult = { ok: true; summary: DryRunSummary; eventsWritten: number } | { ok: false; reason: 'not_ready' | 'busy' | 'stale' };

/**
 * Writes the batch: new customers, changed fields of existing ones, the consent events not yet in the ledger, and
 * the state they fold into; all in one transaction, so that a failure leaves nothing behind.
 */
export async function commitImport(
  db: Db,
  batchId: number,
  actorId: number | null,
  onProgress: (p: ImportProgress) => void = () => {},
): Promise<CommitResult> {
  return db.transaction(async (tx) => {
    await forBulkWork(tx);
    // One import at a time: two imports of overlapping files would otherwise race on matching.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('zgoda.import'))`);
    const [batch] = await tx.select().from(importBatches).where(eq(importBatches.id, batchId)).for('update');
    if (!batch || batch.status !== 'dry_run') return { ok: false, reason: 'not_ready' } as const;
    onProgress({ phase: 'checking', done: 0, total: batch.rowsTotal });
    const options = batch.options as { summary?: DryRunSummary; suppressions?: number };

    // A contact point suppressed since the dry run (say, a STOP from a sender the file brings as a new customer) keeps
    // this file's grants out too. Suppressions wait for this commit from here on, so none slips in between this check
    // and the commit; the webhook, before it suppresses a sender as unknown, waits too and looks among customers again.
    await tx.execute(sql`lock table suppressions in share mode`);
    const suppressionCount = await tx.$count(suppressions);
    const firstWarnings = [...(options.summary?.firstWarnings ?? [])];
    if (suppressionCount !== (options.suppressions ?? 0)) {
      if (!options.suppressions) return { ok: false, reason: 'stale' } as const;
      await applySuppressions(tx, batchId, firstWarnings);
    }

    // The database may have changed since the dry run: match again, now reserving ids for the new customers.
    await plan(tx, batchId, true);
    const summary: DryRunSummary = { ...(await summarize(tx, batchId, options.summary?.firstErrors ?? [], firstWarnings)), ignoredConsentColumns: options.summary?.ignoredConsentColumns ?? [] };

    // Staging holds the rows in file order and new customers got their ids in that order, so the inserts below come
    // in id order without sorting, and the indexes by customer grow at their end.
    onProgress({ phase: 'customers', done: 0, total: summary.rows });
    await tx.execute(sql`
      insert into customers (id, external_id, first_name, last_name, email, phone, market, language, last_order_at, marketplace, source, import_batch_id)
      overriding system value
      select p.customer_id, r.external_id, r.first_name, r.last_name, r.email, r.phone, r.market, r.language, r.last_order_at, r.marketplace, 'import', r.batch_id
      from import_plan p join import_rows r on r.batch_id = ${batchId} and r.row_no = p.row_no
      where p.outcome = 'new'`);
    await tx.execute(sql`
      update customers x set
        external_id = coalesce(r.external_id, x.external_id), first_name = coalesce(r.first_name, x.first_name),
        last_name = coalesce(r.last_name, x.last_name), email = coalesce(r.email, x.email), phone = coalesce(r.phone, x.phone),
        market = coalesce(r.market, x.market), language = coalesce(r.language, x.language),
        last_order_at = coalesce(r.last_order_at, x.last_order_at),
        -- Once an Amazon buyer, always one: a later file without the source does not make Amazon's data the seller's.
        marketplace = coalesce(x.marketplace, r.marketplace), updated_at = now()
      from import_plan p join import_rows r on r.batch_id = ${batchId} and r.row_no = p.row_no
      where p.outcome = 'updated' and x.id = p.customer_id`);

    onProgress({ phase: 'events', done: summary.new + summary.updated, total: summary.rows });
    const eventColumns = sql`customer_id, channel, purpose, kind, occurred_at, source, recorded_by, evidence, idempotency_key`;
    const eventsOf = (rows: SQL) => sql`
      select p.customer_id, c.channel, c.purpose, c.kind, coalesce(c.occurred_at, now()), c.source, ${actorId}::int,
             c.evidence || jsonb_build_object('importBatchId', ${batchId}::int, 'importRow', c.row_no), ${eventKey(sql`p.customer_id`)}
      from import_consents c join import_plan p on p.row_no = c.row_no
      where c.batch_id = ${batchId} and ${rows}`;
    // A new customer's ledger is what this import writes: kept as written, for the projection below. Its keys name a
    // customer id reserved just now, so none is in the ledger yet; nor does staging hold one twice (a mapping names each
    // channel and purpose once, and a suppression adds no withdrawal its row already brings).
    await tx.execute(sql`create temp table import_written (${sql.raw(NEW_LEDGER_TABLE)}) on commit drop`);
    await tx.execute(sql`
      with ins as (insert into consent_events (${eventColumns}) ${eventsOf(sql`p.outcome = 'new'`)} returning ${NEW_LEDGER_COLUMNS})
      insert into import_written select * from ins`);
    await tx.execute(sql`analyze import_written`);
    // The customers the file updates whose ledgers grew, and by how many events: only rows with an answer plan() found
    // missing from the ledger are tried.
    const grown = rowsOf<{ id: string | number; n: number }>(
      await tx.execute(sql`
        with ins as (insert into consent_events (${eventColumns}) ${eventsOf(sql`p.outcome = 'updated' and p.row_no in (select row_no from import_unwritten)`)} on conflict (idempotency_key) do nothing returning customer_id)
        select customer_id as id, count(*)::int as n from ins group by customer_id order by customer_id`),
    );
    const [{ n: newEvents } = { n: 0 }] = rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from import_written`));
    const eventsWritten = newEvents + grown.reduce((sum, g) => sum + g.n, 0);

    // New customers whose ledgers are each one grant or withdrawal (nearly all) are projected in one statement; the
    // others are folded from their ledgers, and so are the updated customers whose ledgers grew. (A change of other
    // fields moves no state: the customers' own trigger moves their coverage.)
    const total = summary.new + grown.length;
    onProgress({ phase: 'state', done: 0, total });
    const fresh = await projectNewLedgers(tx, sql`import_written`);
    const projected = summary.new - fresh.length;
    onProgress({ phase: 'state', done: projected, total });
    await rebuildConsentState(tx, fresh, { fresh: true, onProgress: (done) => onProgress({ phase: 'state', done: projected + done, total }) });
    const changed = grown.map((g) => Number(g.id));
    await rebuildConsentState(tx, changed, { onProgress: (done) => onProgress({ phase: 'state', done: summary.new + done, total }) });

    await tx
      .update(importBatches)
      .set({
        status: 'committed',
        committedAt: new Date(),
        rowsTotal: summary.rows,
        rowsNew: summary.new,
        rowsUpdated: summary.updated,
        rowsUnchanged: summary.unchanged,
        rowsRejected: summary.rejected,
        eventsWritten,
        options: { ...batch.options, summary },
      })
      .where(eq(importBatches.id, batchId));
    await writeAudit(tx, {
      actorId,
      action: 'import.commit',
      entity: 'import_batch',
      entityId: batchId,
      before: null,
      after: { fileName: batch.fileName, rows: summary.rows, new: summary.new, updated: summary.updated, unchanged: summary.unchanged, rejected: summary.rejected, events: eventsWritten },
    });
    onProgress({ phase: 'done', done: total, total });
    return { ok: true, summary, eventsWritten } as const;
  });
}
