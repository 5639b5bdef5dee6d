// Work over a batch's staging rows that every stage shares: the session settings for statements over a whole file,
// and emptying the staging rows.
import { sql } from 'drizzle-orm';
import type { Queryable } from '@/db';

/** How many errors and warnings a summary lists by row; the download of rejected rows has all of them. */
export const FIRST_ISSUES = 20;

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

/** Empties the staging rows of a batch. */
export async function clearStaging(q: Queryable, batchId: number): Promise<void> {
  await q.execute(sql`delete from import_consents where batch_id = ${batchId}`);
  await q.execute(sql`delete from import_rows where batch_id = ${batchId}`);
}
