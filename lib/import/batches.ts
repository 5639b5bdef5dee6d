// Import batches: creating one for an upload, the history, and the rejected rows of a dry run.
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db, Queryable } from '@/db';
import { rowsOf } from '@/db/sql';
import { importBatches, users } from '@/db/schema';
import { removeImportFile } from './files';
import type { CsvFormat, FileSniff } from './read';
import type { DryRunSummary, ImportSettings } from './stage';
import type { RowIssue } from './validate';

/** What a batch keeps in `options`: the file's format as sniffed, the settings of the last dry run and its summary. */
export type BatchOptions = { sniff?: FileSniff; format?: CsvFormat; mapping?: ImportSettings['mapping']; options?: ImportSettings['options']; summary?: DryRunSummary };

export async function createBatch(db: Db, input: { fileName: string; sha256: string; fileKey: string; createdBy: number | null; sniff: FileSniff }): Promise<number> {
  // Staging rows of committed imports are no longer needed, except the rejected ones their download lists.
  await db.execute(sql`delete from import_consents where batch_id in (select id from import_batches where status = 'committed')`);
  await db.execute(sql`delete from import_rows where outcome is distinct from 'rejected' and batch_id in (select id from import_batches where status = 'committed')`);
  const [row] = await db
    .insert(importBatches)
    .values({ fileName: input.fileName, fileSha256: input.sha256, fileKey: input.fileKey, createdBy: input.createdBy, status: 'dry_run', options: { sniff: input.sniff } })
    .returning({ id: importBatches.id });
  return row!.id;
}

export type ImportBatchView = {
  id: number;
  fileName: string;
  fileKey: string | null;
  status: 'dry_run' | 'committing' | 'committed' | 'failed';
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
  const rows = await db.select(view).from(importBatches).leftJoin(users, eq(users.id, importBatches.createdBy)).orderBy(desc(importBatches.id)).limit(limit);
  return rows as ImportBatchView[];
}

export async function getImport(db: Queryable, id: number): Promise<ImportBatchView | null> {
  const [row] = await db.select(view).from(importBatches).leftJoin(users, eq(users.id, importBatches.createdBy)).where(eq(importBatches.id, id));
  return (row as ImportBatchView | undefined) ?? null;
}

/** Empties the staging rows of a batch. */
export async function clearStaging(q: Queryable, batchId: number): Promise<void> {
  await q.execute(sql`delete from import_consents where batch_id = ${batchId}`);
  await q.execute(sql`delete from import_rows where batch_id = ${batchId}`);
}

/**
 * Starts a batch over with the file read in another format: the last dry run and its staging rows are dropped. False
 * when the batch is no longer open.
 */
export async function rereadImport(db: Db, id: number, sniff: FileSniff): Promise<boolean> {
  return db.transaction(async (tx) => {
    const options: BatchOptions = { sniff };
    // Only a batch still open: one committed meanwhile (perhaps from another tab) keeps its counts and rejected rows.
    const reset = await tx
      .update(importBatches)
      .set({ options, rowsTotal: 0, rowsNew: 0, rowsUpdated: 0, rowsUnchanged: 0, rowsRejected: 0 })
      .where(and(eq(importBatches.id, id), eq(importBatches.status, 'dry_run')))
      .returning({ id: importBatches.id });
    if (reset.length === 0) return false;
    await clearStaging(tx, id);
    return true;
  });
}

/** Drops a batch that was never committed, with its staging rows and file. */
export async function discardImport(db: Db, id: number): Promise<boolean> {
  const removed = await db.transaction(async (tx) => {
    const [batch] = await tx.select({ status: importBatches.status, fileKey: importBatches.fileKey }).from(importBatches).where(eq(importBatches.id, id)).for('update');
    if (!batch || batch.status === 'committed') return null;
    await clearStaging(tx, id);
    await tx.delete(importBatches).where(eq(importBatches.id, id));
    return batch;
  });
  if (!removed) return false;
  // The batch is gone whatever happens to its file: one the store could not remove now is logged, not the user's error.
  await removeImportFile(db, { id, fileKey: removed.fileKey }).catch((error: unknown) => console.error('removing the file of a discarded import failed', error, { batch: id }));
  return true;
}

/** Rejected rows in file order, a page at a time after `afterRow`. */
export async function rejectedRows(db: Queryable, batchId: number, afterRow: number, limit: number): Promise<Array<{ rowNo: number; issues: RowIssue[] }>> {
  const rows = rowsOf<{ row_no: number; error: string }>(
    await db.execute(sql`
      select row_no, error from import_rows
      where batch_id = ${batchId} and outcome = 'rejected' and row_no > ${afterRow}
      order by row_no limit ${limit}`),
  );
  return rows.map((r) => ({ rowNo: r.row_no, issues: JSON.parse(r.error) as RowIssue[] }));
}
