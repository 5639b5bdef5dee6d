// The dry run of an import as a job: reads the file of a batch claimed by requestDryRun into staging and plans it.
import { endClaim, failInterrupted, getImport } from '@/lib/import/batches';
import { ImportNotOpen, dryRun } from '@/lib/import/dry-run';
import { importFile } from '@/lib/import/files';
import { progressWriter } from '@/lib/import/progress';
import { ImportFileError } from '@/lib/import/read';
import { storedSettings } from '@/lib/import/settings';
import type { JobDefinition } from './job';
import { writeOutcome } from './outcome';
import { logger } from '@/lib/log';

export type ImportJobData = { batchId: number };

export const importDryRunJob: JobDefinition<ImportJobData> = {
  name: 'import-dry-run',
  // A million-row file reads and plans in about a minute on two cores; five times that before it is taken for dead.
  expireInSeconds: 300,
  key: ({ batchId }) => `batch:${batchId}`,
  interrupted: ({ db }) => failInterrupted(db, 'checking'),
  run: async ({ db, embedded }, { batchId }, { retried }) => {
    const batch = await getImport(db, batchId);
    // Discarded, or already run by an earlier delivery of the same job.
    if (batch?.status !== 'checking') return;
    if (retried) {
      await endClaim(db, batchId, 'checking', { step: 'dry_run', reason: 'interrupted' });
      return;
    }
    const settings = storedSettings(batch.options);
    const progress = progressWriter(db, batchId, 'checking', embedded);
    try {
      if (!settings) throw new Error('claimed for a dry run without settings');
      await dryRun(db, batchId, importFile(db, batch), settings, progress.report);
    } catch (error) {
      if (error instanceof ImportNotOpen) return;
      if (error instanceof ImportFileError) {
        const { problem, row, line, malformation } = error;
        await endClaim(db, batchId, 'checking', {
          step: 'dry_run',
          reason: 'file',
          problem,
          row,
          line,
          malformation,
          relaxQuotes: settings?.format.relaxQuotes === true,
        });
        return;
      }
      logger.error({ err: error, batch: batchId }, 'import dry run failed');
      await writeOutcome(() => endClaim(db, batchId, 'checking', { step: 'dry_run', reason: 'error' }));
    } finally {
      await progress.close();
    }
  },
};
