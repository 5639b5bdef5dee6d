// Import batches: creating one for an upload, the history, and the rejected rows of a dry run.
import { and, desc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db, Queryable } from '@/db';
import { rowsOf } from '@/db/sql';
import { importBatches, importProgress, users } from '@/db/schema';
import { logger } from '@/lib/log';
import { removeImportFile } from './files';
import type { FileSniff } from './read';
import { clearStaging } from './staging';
import type { BatchOptions, ImportFailure, ImportSettings, ImportStatus } from './types';
import type { RowIssue } from './validate';

export async function createBatch(
  db: Db,
  input: { fileName: string; sha256: string; fileKey: string; createdBy: number | null; sniff: FileSniff },
): Promise<number> {
  // Staging rows of committed imports are no longer needed, except the rejected ones their download lists.
  await db.execute(sql`delete from import_consents where batch_id in (select id from import_batches where status = 'committed')`);
  await db.execute(
    sql`delete from import_rows where outcome is distinct from 'rejected' and batch_id in (select id from import_batches where status = 'committed')`,
  );
  const [row] = await db
    .insert(importBatches)
    .values({
      fileName: input.fileName,
      fileSha256: input.sha256,
      fileKey: input.fileKey,
      createdBy: input.createdBy,
      status: 'dry_run',
      options: { sniff: input.sniff },
    })
    .returning({ id: importBatches.id });
  return row!.id;
}

export type ImportBatchView = {
  id: number;
  fileName: string;
  fileKey: string | null;
  status: ImportStatus;
  failure: ImportFailure | null;
  createdAt: Date;
  committedAt: Date | null;
  createdBy: string | null;
  rowsTotal: number;
  rowsNew: number;
  rowsUpdated: number;
  rowsUnchanged: number;
  rowsRejected: number;
  eventsWritten: number;
  options: BatchOptions;
};

const view = {
  id: importBatches.id,
  fileName: importBatches.fileName,
  fileKey: importBatches.fileKey,
  status: importBatches.status,
  failure: importBatches.failure,
  createdAt: importBatches.createdAt,
  committedAt: importBatches.committedAt,
  createdBy: users.name,
  rowsTotal: importBatches.rowsTotal,
  rowsNew: importBatches.rowsNew,
  rowsUpdated: importBatches.rowsUpdated,
  rowsUnchanged: importBatches.rowsUnchanged,
  rowsRejected: importBatches.rowsRejected,
  eventsWritten: importBatches.eventsWritten,
  options: importBatches.options,
};

export async function listImports(db: Queryable, limit = 50): Promise<ImportBatchView[]> {
  return db
    .select(view)
    .from(importBatches)
    .leftJoin(users, eq(users.id, importBatches.createdBy))
    .orderBy(desc(importBatches.id))
    .limit(limit);
}

export async function getImport(db: Queryable, id: number): Promise<ImportBatchView | null> {
  const [row] = await db
    .select(view)
    .from(importBatches)
    .leftJoin(users, eq(users.id, importBatches.createdBy))
    .where(eq(importBatches.id, id));
  return row ?? null;
}

/**
 * Starts a batch over with the file read in another format: the last dry run and its staging rows are dropped. False
 * when the batch is no longer open.
 */
export async function rereadImport(db: Db, id: number, sniff: FileSniff): Promise<boolean> {
  return db.transaction(async (tx) => {
    const options: BatchOptions = { sniff };
    // Only a batch still open (or failed): one checked or committed meanwhile (perhaps from another tab) keeps its counts
    // and rejected rows.
    const reset = await tx
      .update(importBatches)
      .set({ status: 'dry_run', options, failure: null, rowsTotal: 0, rowsNew: 0, rowsUpdated: 0, rowsUnchanged: 0, rowsRejected: 0 })
      .where(and(eq(importBatches.id, id), inArray(importBatches.status, ['dry_run', 'failed'])))
      .returning({ id: importBatches.id });
    if (reset.length === 0) return false;
    await clearStaging(tx, id);
    return true;
  });
}

/** Drops a batch that was never committed and is not being checked or committed, with its staging rows and file. */
export async function discardImport(db: Db, id: number): Promise<boolean> {
  const removed = await db.transaction(async (tx) => {
    const [batch] = await tx
      .select({ status: importBatches.status, fileKey: importBatches.fileKey })
      .from(importBatches)
      .where(eq(importBatches.id, id))
      .for('update');
    if (!batch || (batch.status !== 'dry_run' && batch.status !== 'failed')) return null;
    await clearStaging(tx, id);
    await tx.delete(importProgress).where(eq(importProgress.batchId, id));
    await tx.delete(importBatches).where(eq(importBatches.id, id));
    return batch;
  });
  if (!removed) return false;
  // The batch is gone whatever happens to its file: one the store could not remove now is logged, not the user's error.
  await removeImportFile(db, { id, fileKey: removed.fileKey }).catch((error: unknown) =>
    logger.error({ err: error, batch: id }, 'removing the file of a discarded import failed'),
  );
  return true;
}

/** Rejected rows in file order, a page at a time after `afterRow`. */
export async function rejectedRows(
  db: Queryable,
  batchId: number,
  afterRow: number,
  limit: number,
): Promise<Array<{ rowNo: number; issues: RowIssue[] }>> {
  const rows = rowsOf<{ row_no: number; error: string }>(
    await db.execute(sql`
      select row_no, error from import_rows
      where batch_id = ${batchId} and outcome = 'rejected' and row_no > ${afterRow}
      order by row_no limit ${limit}`),
  );
  return rows.map((r) => ({ rowNo: r.row_no, issues: JSON.parse(r.error) as RowIssue[] }));
}

/**
 * Claims an open batch (or one whose last dry run or commit failed) for a dry run with these settings, inside the
 * caller's transaction, which also queues the job: false when the batch is not there, or is being checked or committed
 * already (a second click). The last summary goes: until the dry run is done, there is nothing to commit.
 */
export async function claimForDryRun(q: Queryable, id: number, settings: ImportSettings): Promise<boolean> {
  const stored = { format: settings.format, mapping: settings.mapping, options: settings.options };
  const claimed = await q
    .update(importBatches)
    .set({ status: 'checking', failure: null, options: sql`(${importBatches.options} - 'summary') || ${JSON.stringify(stored)}::jsonb` })
    .where(and(eq(importBatches.id, id), inArray(importBatches.status, ['dry_run', 'failed'])))
    .returning({ id: importBatches.id });
  return claimed.length > 0;
}

/**
 * Claims a batch with a dry run to commit (open, or its last commit failed), inside the caller's transaction, which
 * also queues the job: false when there is nothing to commit or a commit or dry run runs already (a second click).
 */
export async function claimForCommit(q: Queryable, id: number): Promise<boolean> {
  const claimed = await q
    .update(importBatches)
    .set({ status: 'committing', failure: null })
    .where(
      and(
        eq(importBatches.id, id),
        sql`${importBatches.options} ? 'summary'`,
        or(eq(importBatches.status, 'dry_run'), and(eq(importBatches.status, 'failed'), sql`${importBatches.failure}->>'step' = 'commit'`)),
      ),
    )
    .returning({ id: importBatches.id });
  return claimed.length > 0;
}

/**
 * Ends the claim of a job that did not finish: the batch is `failed`, or open again when the file or settings need
 * changing (a file problem, or suppressions added since the dry run, which then goes). Only while `from` still holds:
 * a job run twice (its instance died, or it outlived its expiry) leaves the outcome of the first alone.
 */
export async function endClaim(q: Queryable, id: number, from: 'checking' | 'committing', failure: ImportFailure): Promise<boolean> {
  const open = failure.reason === 'file' || failure.reason === 'stale';
  const ended = await q
    .update(importBatches)
    .set({
      status: open ? 'dry_run' : 'failed',
      failure,
      ...(failure.reason === 'stale' ? { options: sql`${importBatches.options} - 'summary'` } : {}),
    })
    .where(and(eq(importBatches.id, id), eq(importBatches.status, from)))
    .returning({ id: importBatches.id });
  return ended.length > 0;
}

/**
 * The embedded database is one process's alone: when it starts, a dry run or commit still marked running died with
 * the process before it (its transaction rolled back), and says so.
 */
export async function failInterrupted(q: Queryable, status: 'checking' | 'committing'): Promise<number> {
  const failure: ImportFailure = { step: status === 'checking' ? 'dry_run' : 'commit', reason: 'interrupted' };
  const failed = await q
    .update(importBatches)
    .set({ status: 'failed', failure })
    .where(eq(importBatches.status, status))
    .returning({ id: importBatches.id });
  return failed.length;
}
