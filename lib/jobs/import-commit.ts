// The commit of an import as a job: writes a batch claimed by requestCommit, all of it or, on any failure, nothing.
import { endClaim, failInterrupted, getImport } from '@/lib/import/batches';
import { commitImport } from '@/lib/import/commit';
import { progressWriter } from '@/lib/import/progress';
import type { JobDefinition } from './job';
import { writeOutcome } from './outcome';
import { logger } from '@/lib/log';

export type ImportCommitData = { batchId: number; actorId: number | null };

export const importCommitJob: JobDefinition<ImportCommitData> = {
  name: 'import-commit',
  // A million-row commit takes about 100 s on two cores; three times that before it is taken for dead. A run that
  // outlives it does no harm: the next delivery waits for its transaction, then finds the batch committed.
  expireInSeconds: 300,
  key: ({ batchId }) => `batch:${batchId}`,
  interrupted: ({ db }) => failInterrupted(db, 'committing'),
  run: async ({ db, embedded }, { batchId, actorId }, { retried }) => {
    const batch = await getImport(db, batchId);
    // Discarded, or already run by an earlier delivery of the same job.
    if (batch?.status !== 'committing') return;
    if (retried) {
      // The earlier run's transaction rolled back with its connection: nothing of it was written.
      await endClaim(db, batchId, 'committing', { step: 'commit', reason: 'interrupted' });
      return;
    }
    const progress = progressWriter(db, batchId, 'committing', embedded);
    try {
      const result = await commitImport(db, batchId, actorId, progress.report);
      if (!result.ok && result.reason === 'stale') await endClaim(db, batchId, 'committing', { step: 'commit', reason: 'stale' });
    } catch (error) {
      logger.error({ err: error, batch: batchId }, 'import commit failed');
      await writeOutcome(() => endClaim(db, batchId, 'committing', { step: 'commit', reason: 'error' }));
    } finally {
      await progress.close();
    }
  },
};
