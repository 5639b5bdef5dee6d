// How far a running dry run or commit has come. On PostgreSQL the instance running it writes a row a few times a
// second, outside the job's transaction, so that any instance can show it. The embedded database is one connection
// that the job's transaction holds until it ends, so nothing else could read or write it meanwhile: there the one
// process keeps the progress in memory.
import { eq, sql } from 'drizzle-orm';
import type { Db, Queryable } from '@/db';
import { importBatches, importProgress } from '@/db/schema';
import type { ImportProgress, ImportStatus } from './types';
import { logger } from '@/lib/log';

/** What the page polls: the batch's status and, while it runs, how far it has come. */
export type ImportJobState = { status: ImportStatus; progress: ImportProgress | null };

type Running = 'checking' | 'committing';

const live = ((
  globalThis as unknown as { zgodaImportProgress?: Map<number, { status: Running; progress: ImportProgress | null }> }
).zgodaImportProgress ??= new Map());

// Often enough for a progress bar, rarely enough that a million-row import does not notice the writes.
const WRITE_INTERVAL_MS = 250;

export type ProgressWriter = { report: (p: ImportProgress) => void; close: () => Promise<void> };

/**
 * Reports progress of the job running `status` on a batch: the latest report at most every WRITE_INTERVAL_MS, never
 * waited for by the job, and a failed write only logged (the progress bar is not worth failing an import for).
 * `close` waits for the last write and removes the progress: the batch's status then tells the outcome.
 */
export function progressWriter(db: Db, batchId: number, status: Running, embedded: boolean): ProgressWriter {
  if (embedded) {
    live.set(batchId, { status, progress: null });
    return {
      report: (progress) => live.set(batchId, { status, progress }),
      close: async () => {
        live.delete(batchId);
      },
    };
  }
  let latest: ImportProgress | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastWrite = 0;
  let writing: Promise<void> = Promise.resolve();
  const write = () => {
    timer = null;
    const p = latest;
    if (!p) return;
    latest = null;
    lastWrite = Date.now();
    writing = writing
      .then(async () => {
        await db
          .insert(importProgress)
          .values({ batchId, ...p })
          .onConflictDoUpdate({
            target: importProgress.batchId,
            set: { phase: p.phase, done: p.done, total: p.total, updatedAt: sql`now()` },
          });
      })
      .catch((error: unknown) => logger.error({ err: error, batch: batchId }, 'import progress not written'));
  };
  return {
    report: (progress) => {
      latest = progress;
      timer ??= setTimeout(write, Math.max(0, lastWrite + WRITE_INTERVAL_MS - Date.now()));
    },
    close: async () => {
      if (timer) clearTimeout(timer);
      await writing;
      await db
        .delete(importProgress)
        .where(eq(importProgress.batchId, batchId))
        .catch((error: unknown) => logger.error({ err: error, batch: batchId }, 'import progress not removed'));
    },
  };
}

/** The state of a batch's job, or null for no such batch. */
export async function readJobState(db: Queryable, batchId: number): Promise<ImportJobState | null> {
  // Read without asking the embedded database, which the running job holds.
  const running = live.get(batchId);
  if (running) return running;
  const [row] = await db
    .select({ status: importBatches.status, phase: importProgress.phase, done: importProgress.done, total: importProgress.total })
    .from(importBatches)
    .leftJoin(importProgress, eq(importProgress.batchId, importBatches.id))
    .where(eq(importBatches.id, batchId));
  if (!row) return null;
  const busy = row.status === 'checking' || row.status === 'committing';
  return { status: row.status, progress: busy && row.phase ? { phase: row.phase, done: row.done ?? 0, total: row.total ?? 0 } : null };
}
