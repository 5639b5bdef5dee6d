// A retention run: removes what the settings say is kept no longer, in batches of short transactions so that the
// webhook, imports and sign-ins never wait long behind it, writing its counts as it goes and an audit entry at the end.
import { desc, eq, getTableColumns, sql } from 'drizzle-orm';
import type { Db } from '@/db';
import { rowsOf, ts } from '@/db/sql';
import { retentionRuns, users } from '@/db/schema';
import type { RetentionRun } from '@/db/schema';
import { writeAudit } from '@/lib/audit/write';
import { FileMissingError } from '@/lib/files/errors';
import { discardImport } from '@/lib/import/batches';
import { removeImportFile } from '@/lib/import/files';
import { logger } from '@/lib/log';
import type { Pseudonymise } from './pseudonymise';
import { pseudonymiseCustomer } from './pseudonymise';
import type { RetentionSettings } from './settings';
import { retentionCutoffs } from './settings';

/** What a run removed, by kind; the page names each. */
export type RetentionCounts = {
  /** Committed imports whose file and staged and rejected rows were removed. */
  importFiles: number;
  /** Staged and rejected rows of those imports. */
  importRows: number;
  /** Imports never committed and left alone for the whole period, discarded with their files. */
  abandonedImports: number;
  /** Reply texts removed from the review queue. */
  replyTexts: number;
  signInThrottle: number;
  /** Pieces of uploaded files that no import names. */
  orphanFileChunks: number;
  /** Customers past the ledger's period, pseudonymised as by an erasure. */
  customersPseudonymised: number;
};

export const EMPTY_COUNTS: RetentionCounts = {
  importFiles: 0,
  importRows: 0,
  abandonedImports: 0,
  replyTexts: 0,
  signInThrottle: 0,
  orphanFileChunks: 0,
  customersPseudonymised: 0,
};

// Rows per statement: each transaction holds its locks for a few milliseconds.
const ROWS = 5_000;
// Customers looked at per statement when finding those past the ledger's period.
const CUSTOMER_RANGE = 25_000;

type Step = (counts: RetentionCounts) => Promise<void>;

/** Repeats a statement that removes at most ROWS rows and returns how many, until none is left. */
async function drain(db: Db, statement: () => ReturnType<typeof sql>): Promise<number> {
  let total = 0;
  for (;;) {
    const [row] = rowsOf<{ n: number }>(await db.execute(statement()));
    const n = Number(row?.n ?? 0);
    total += n;
    if (n < ROWS) return total;
  }
}

function importSteps(db: Db, cutoff: Date): Step[] {
  const committed: Step = async (counts) => {
    for (;;) {
      const batches = rowsOf<{ id: number; file_key: string | null }>(
        await db.execute(sql`select id, file_key from import_batches
          where status = 'committed' and files_removed_at is null and committed_at < ${ts(cutoff)} order by id limit 20`),
      );
      for (const batch of batches) {
        for (const table of ['import_rows', 'import_consents'] as const) {
          counts.importRows += await drain(
            db,
            () => sql`with gone as (delete from ${sql.raw(table)} where ctid = any(array(
                select ctid from ${sql.raw(table)} where batch_id = ${batch.id} limit ${ROWS})) returning 1)
              select count(*)::int as n from gone`,
          );
        }
        // A file already gone (removed by hand, or by a run that stopped right after) is as removed as it gets.
        await removeImportFile(db, { id: batch.id, fileKey: batch.file_key }).catch((error: unknown) => {
          if (!(error instanceof FileMissingError)) throw error;
        });
        await db.execute(sql`update import_batches set files_removed_at = now() where id = ${batch.id}`);
        counts.importFiles++;
      }
      if (batches.length < 20) return;
    }
  };
  const abandoned: Step = async (counts) => {
    const ids = rowsOf<{ id: number }>(
      await db.execute(sql`select id from import_batches where status in ('dry_run', 'failed') and created_at < ${ts(cutoff)} order by id`),
    );
    for (const { id } of ids) if (await discardImport(db, id)) counts.abandonedImports++;
  };
  return [committed, abandoned];
}

/**
 * Runs retention with the given settings and records the run. One run at a time: the job queue runs one (its key is
 * the same for every run), and a run left marked running by a stopped instance is marked failed by the next.
 */
export async function runRetention(
  db: Db,
  options: { settings: RetentionSettings; startedBy: number | null; now?: Date; pseudonymise?: Pseudonymise | null },
): Promise<RetentionRun> {
  const now = options.now ?? new Date();
  const cutoff = retentionCutoffs(options.settings, now);
  const pseudonymise = options.pseudonymise === undefined ? pseudonymiseCustomer : options.pseudonymise;
  await db
    .update(retentionRuns)
    .set({ status: 'failed', finishedAt: new Date(), error: 'interrupted: the instance running it stopped' })
    .where(eq(retentionRuns.status, 'running'));
  const [run] = await db
    .insert(retentionRuns)
    .values({ startedBy: options.startedBy, settings: options.settings, removed: EMPTY_COUNTS })
    .returning();
  const counts: RetentionCounts = { ...EMPTY_COUNTS };
  const save = () => db.update(retentionRuns).set({ removed: counts }).where(eq(retentionRuns.id, run!.id));

  const steps: Step[] = [
    ...importSteps(db, cutoff.importFiles),
    async (c) => {
      c.replyTexts += await drain(
        db,
        () => sql`with gone as (update reply_reviews set text = '', cue = '' where id = any(array(
            select id from reply_reviews where received_at < ${ts(cutoff.replyTexts)} and (text <> '' or cue <> '') limit ${ROWS}))
            returning 1)
          select count(*)::int as n from gone`,
      );
      // The same words kept as evidence of a withdrawal, beside the ledger (lib/consent-store/evidence.ts): the event
      // stays, the customer's text goes, and a row left with nothing identifying goes with it.
      c.replyTexts += await drain(
        db,
        () => sql`with due as (
            select event_id, evidence - 'customerText' as rest from consent_evidence_personal
            where recorded_at < ${ts(cutoff.replyTexts)} and evidence ? 'customerText' limit ${ROWS}),
          emptied as (delete from consent_evidence_personal p using due where p.event_id = due.event_id and due.rest = '{}'::jsonb returning 1),
          cleared as (update consent_evidence_personal p set evidence = due.rest from due
            where p.event_id = due.event_id and due.rest <> '{}'::jsonb returning 1)
          select ((select count(*) from emptied) + (select count(*) from cleared))::int as n`,
      );
    },
    async (c) => {
      c.signInThrottle += await drain(
        db,
        () => sql`with gone as (delete from sign_in_throttle where key = any(array(
            select key from sign_in_throttle where last_failed_at < ${ts(cutoff.signInThrottle)}
              and (locked_until is null or locked_until < now()) limit ${ROWS})) returning 1)
          select count(*)::int as n from gone`,
      );
    },
    async (c) => {
      // Pieces of an upload that never became a batch (the upload failed after its pieces, or its batch was removed).
      c.orphanFileChunks += await drain(
        db,
        () => sql`with gone as (delete from file_chunks f where ctid = any(array(
            select ctid from file_chunks c where c.created_at < ${ts(cutoff.orphanChunks)}
              and not exists (select 1 from import_batches b where b.file_key = 'db:' || c.file_key) limit ${ROWS})) returning 1)
          select count(*)::int as n from gone`,
      );
    },
    async (c) => {
      if (!pseudonymise) return;
      const [{ max } = { max: 0 }] = rowsOf<{ max: number }>(
        await db.execute(sql`select coalesce(max(id), 0)::bigint::float8 as max from customers`),
      );
      for (let from = 0; from < Number(max); from += CUSTOMER_RANGE) {
        for (const id of await dueCustomers(db, cutoff.ledger, from, from + CUSTOMER_RANGE)) {
          if (await pseudonymise(db, id)) c.customersPseudonymised++;
        }
        if ((from / CUSTOMER_RANGE) % 8 === 7) await save();
      }
    },
  ];

  try {
    for (const step of steps) {
      await step(counts);
      await save();
    }
    const [done] = await db
      .update(retentionRuns)
      .set({ status: 'done', finishedAt: new Date(), removed: counts })
      .where(eq(retentionRuns.id, run!.id))
      .returning();
    await writeAudit(db, {
      actorId: options.startedBy,
      action: 'retention.run',
      entity: 'retention_run',
      entityId: run!.id,
      after: { ok: true, removed: counts, settings: options.settings },
    });
    logger.info({ run: run!.id, removed: counts }, 'retention run done');
    return done!;
  } catch (error) {
    logger.error({ err: error, run: run!.id, removed: counts }, 'retention run failed');
    const [failed] = await db
      .update(retentionRuns)
      .set({ status: 'failed', finishedAt: new Date(), removed: counts, error: 'the run stopped on an error; see the server log' })
      .where(eq(retentionRuns.id, run!.id))
      .returning();
    await writeAudit(db, {
      actorId: options.startedBy,
      action: 'retention.run',
      entity: 'retention_run',
      entityId: run!.id,
      after: { ok: false, removed: counts, settings: options.settings },
    });
    return failed!;
  }
}

/**
 * Customers with ids in (from, to] whose last consent event and last order are both before the cutoff (and who were
 * created before it): the proof they concern is kept no longer. A customer without any event counts from creation.
 */
export async function dueCustomers(db: Db, cutoff: Date, from: number, to: number): Promise<number[]> {
  const rows = rowsOf<{ id: string | number }>(
    await db.execute(sql`
      select c.id from customers c
      where c.id > ${from} and c.id <= ${to} and c.erased_at is null and c.created_at < ${ts(cutoff)}
        and (c.last_order_at is null or c.last_order_at < ${ts(cutoff)})
        and not exists (select 1 from consent_state s where s.customer_id = c.id and s.last_occurred_at >= ${ts(cutoff)})
      order by c.id`),
  );
  return rows.map((r) => Number(r.id));
}

/** The latest runs, newest first, with the name of the admin who started each (null: the schedule). */
export function latestRuns(db: Db, limit = 10): Promise<Array<RetentionRun & { startedByName: string | null }>> {
  return db
    .select({ ...getTableColumns(retentionRuns), startedByName: users.name })
    .from(retentionRuns)
    .leftJoin(users, eq(users.id, retentionRuns.startedBy))
    .orderBy(desc(retentionRuns.startedAt), desc(retentionRuns.id))
    .limit(limit);
}
