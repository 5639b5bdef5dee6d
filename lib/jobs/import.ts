// Asking for an import's dry run or commit: the batch is claimed and its job queued in one transaction, so a second
// click finds it claimed and queues nothing, and a claim never waits for a job that was not queued.
import type { Db } from '@/db';
import { claimForCommit, claimForDryRun, getImport } from '@/lib/import/batches';
import { storedSettings } from '@/lib/import/settings';
import type { ImportSettings } from '@/lib/import/types';
import { importCommitJob } from './import-commit';
import { importDryRunJob } from './import-dry-run';
import { enqueue } from './queue';

/** False when the batch is not open for a dry run (gone, or being checked or committed). */
export function requestDryRun(db: Db, batchId: number, settings: ImportSettings): Promise<boolean> {
  return db.transaction(async (tx) => {
    if (!(await claimForDryRun(tx, batchId, settings))) return false;
    // A job of this batch that still waits runs the dry run with these settings just as well.
    await enqueue(importDryRunJob, { batchId }, tx);
    return true;
  });
}

/** False when the batch has no dry run to commit, or a dry run or commit of it runs already. */
export function requestCommit(db: Db, batchId: number, actorId: number | null): Promise<boolean> {
  return db.transaction(async (tx) => {
    if (!(await claimForCommit(tx, batchId))) return false;
    await enqueue(importCommitJob, { batchId, actorId }, tx);
    return true;
  });
}

/** Runs again the dry run or commit that failed, with the same settings. False when the batch did not fail. */
export async function retryImport(db: Db, batchId: number, actorId: number | null): Promise<boolean> {
  const batch = await getImport(db, batchId);
  if (batch?.status !== 'failed' || !batch.failure) return false;
  if (batch.failure.step === 'commit') return requestCommit(db, batchId, actorId);
  const settings = storedSettings(batch.options);
  return settings !== null && requestDryRun(db, batchId, settings);
}
