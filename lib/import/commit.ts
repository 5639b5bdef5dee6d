// Committing an import: customers, ledger events and state written from the staging rows of a dry run, in one
// transaction.
import type { SQL } from 'drizzle-orm';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '@/db';
import { rowsOf } from '@/db/sql';
import { consentEvents, importBatches, suppressions } from '@/db/schema';
import { writeAudit } from '@/lib/audit/write';
import { PERSONAL_KEYS_SQL } from '@/lib/consent-store/evidence';
import { NEW_LEDGER_COLUMNS, NEW_LEDGER_TABLE, projectNewLedgers, rebuildConsentState } from '@/lib/consent-store/project';
import { applySuppressions, eventKey, plan, summarize } from './plan';
import { forBulkWork } from './staging';
import type { CommitResult, DryRunSummary, ImportProgress } from './types';
import { columnList } from '@/db/columns';

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
    // Open, or claimed for this commit by requestCommit.
    if (!batch || (batch.status !== 'dry_run' && batch.status !== 'committing')) return { ok: false, reason: 'not_ready' } as const;
    onProgress({ phase: 'checking', done: 0, total: batch.rowsTotal });
    const options = batch.options;

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
    const summary: DryRunSummary = {
      ...(await summarize(tx, batchId, options.summary?.firstErrors ?? [], firstWarnings)),
      ignoredConsentColumns: options.summary?.ignoredConsentColumns ?? [],
    };

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
    const eventColumns = columnList(consentEvents, { omit: ['recordedAt'] }).list;
    // An IP column brings identifying evidence, which stays out of the ledger (lib/consent-store/evidence.ts); without
    // one the staged evidence holds none, and the events are written as they are staged.
    const personal = options.mapping?.some((target) => target?.endsWith('.ip')) ?? false;
    const staged = personal ? sql`(c.evidence - ${PERSONAL_KEYS_SQL})` : sql`c.evidence`;
    const eventsOf = (rows: SQL) => sql`
      select p.customer_id, c.channel, c.purpose, c.kind, coalesce(c.occurred_at, now()), c.source, ${actorId}::int,
             ${staged} || jsonb_build_object('importBatchId', ${batchId}::int, 'importRow', c.row_no), ${eventKey(sql`p.customer_id`)}
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
    if (personal) {
      // The events this transaction wrote (recorded now) find their staged answer by the idempotency key they were
      // written with.
      await tx.execute(sql`
        insert into consent_evidence_personal (event_id, customer_id, evidence)
        select e.id, e.customer_id, (select jsonb_object_agg(k, v) from jsonb_each(c.evidence) as x(k, v) where k = any(${PERSONAL_KEYS_SQL}))
        from import_consents c join import_plan p on p.row_no = c.row_no
        join consent_events e on e.idempotency_key = ${eventKey(sql`p.customer_id`)} and e.recorded_at = now()
        where c.batch_id = ${batchId} and c.evidence ?| ${PERSONAL_KEYS_SQL}`);
    }
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
    await rebuildConsentState(tx, fresh, {
      fresh: true,
      onProgress: (done) => onProgress({ phase: 'state', done: projected + done, total }),
    });
    const changed = grown.map((g) => Number(g.id));
    await rebuildConsentState(tx, changed, { onProgress: (done) => onProgress({ phase: 'state', done: summary.new + done, total }) });

    await tx
      .update(importBatches)
      .set({
        status: 'committed',
        failure: null,
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
      after: {
        fileName: batch.fileName,
        rows: summary.rows,
        new: summary.new,
        updated: summary.updated,
        unchanged: summary.unchanged,
        rejected: summary.rejected,
        events: eventsWritten,
      },
    });
    onProgress({ phase: 'done', done: total, total });
    return { ok: true, summary, eventsWritten } as const;
  });
}
