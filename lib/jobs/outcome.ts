// Writing what a failed job leaves behind (its batch says failed, and why) while the database that failed it may still
// be away: a restart or failover takes seconds, and without this the batch would look busy until the job expires.
import { logger } from '@/lib/log';

export type OutcomeRetry = { forMs: number; everyMs: number };

const DEFAULT: OutcomeRetry = { forMs: 120_000, everyMs: 2_000 };

/**
 * Runs `write` until it succeeds, every `everyMs`, for at most `forMs`; then throws its last error, and the job's
 * expiry (its redelivery says the run was interrupted) takes over.
 */
export async function writeOutcome(write: () => Promise<unknown>, retry: OutcomeRetry = DEFAULT): Promise<void> {
  const until = Date.now() + retry.forMs;
  for (;;) {
    try {
      await write();
      return;
    } catch (error) {
      if (Date.now() + retry.everyMs > until) throw error;
      logger.warn({ err: error }, 'the outcome of a job is not written yet; trying again');
      await new Promise((resolve) => setTimeout(resolve, retry.everyMs));
    }
  }
}
