// Webhook POSTs that arrive while earlier ones are being written wait, then go in together: one transaction, one
// projection of state and one pass of the aggregate triggers for all of them instead of one each. A POST that
// arrives alone is written at once; under load the batches grow with it.
import type { Queryable } from '@/db';
import { errorCode } from '@/db/errors';
import type { InboundSummary } from './inbound';
import { applyInboundPosts } from './inbound';
import type { InboundIntent } from './payload';

export const MAX_POSTS_PER_WRITE = 200;

type Waiting = { intents: readonly InboundIntent[]; resolve: (summary: InboundSummary) => void; reject: (error: unknown) => void };

// Errors of the database as a whole (unreachable, shutting down, a lock held too long, a deadlock): writing the
// POSTs one by one would only meet them again, so all of the batch is refused at once (503, and Meta retries).
const DATABASE_WIDE = new Set([
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '40001',
  '40P01',
  '53300',
  '55P03',
  '57014',
  '57P01',
  '57P02',
  '57P03',
]);

function isDatabaseWide(error: unknown): boolean {
  const code = errorCode(error);
  return code !== null && (DATABASE_WIDE.has(code) || code.startsWith('CONNECT') || code.startsWith('ECONN') || code === 'ETIMEDOUT');
}

// A deadlock or a serialization failure rolls the whole transaction back and goes away when it runs again: a writer
// that does not take the inbound lock (an import being committed, a consent changed by hand or through the API)
// crossed it. Tried again a few times, after a pause of random length so that the two do not meet again, before the
// batch is refused.
const RETRYABLE = new Set(['40P01', '40001']);
export const WRITE_ATTEMPTS = 4;

async function applyRetrying(db: () => Promise<Queryable>, posts: readonly (readonly InboundIntent[])[]): Promise<InboundSummary[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await applyInboundPosts(await db(), posts);
    } catch (error) {
      if (attempt >= WRITE_ATTEMPTS || !RETRYABLE.has(errorCode(error) ?? '')) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 50 * attempt));
    }
  }
}

/** A function that records one POST's intents, in a batch with whatever other POSTs are waiting. */
export function inboundQueue(
  db: () => Promise<Queryable>,
  maxPosts = MAX_POSTS_PER_WRITE,
): (intents: readonly InboundIntent[]) => Promise<InboundSummary> {
  const waiting: Waiting[] = [];
  let writing = false;

  async function write(batch: Waiting[]): Promise<void> {
    try {
      const summaries = await applyRetrying(
        db,
        batch.map((w) => w.intents),
      );
      batch.forEach((w, i) => w.resolve(summaries[i]!));
    } catch (error) {
      if (batch.length === 1 || isDatabaseWide(error)) return batch.forEach((w) => w.reject(error));
      // Nothing of the batch was written. One POST the database refuses must not fail the others: each on its own.
      for (const w of batch) {
        try {
          w.resolve((await applyRetrying(db, [w.intents]))[0]!);
        } catch (single) {
          w.reject(single);
        }
      }
    }
  }

  async function drain(): Promise<void> {
    writing = true;
    try {
      while (waiting.length > 0) await write(waiting.splice(0, maxPosts));
    } finally {
      writing = false;
    }
  }

  return (intents) =>
    new Promise<InboundSummary>((resolve, reject) => {
      waiting.push({ intents, resolve, reject });
      // write() settles every POST it takes, so drain() itself does not fail.
      if (!writing) void drain();
    });
}
