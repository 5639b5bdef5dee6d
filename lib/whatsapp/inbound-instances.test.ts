// Two app instances writing webhook POSTs at once on one database: each has its own connection pool and its own queue,
// as two processes behind a load balancer do. On PGlite (one connection) the two queues only take turns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { DbHandle, Queryable } from '@/db';
import { openDb } from '@/db';
import { rowsOf } from '@/db/sql';
import { createTestDb, testDrivers } from '@/db/testing';
import { WRITE_ATTEMPTS, inboundQueue } from './inbound-queue';
import { parseWebhook } from './payload';
import { inboundMessage } from './samples';
import { checkRecorded, insertCustomers, planTraffic } from './traffic';

const SECRET = 'two-instances-secret';

describe.each(testDrivers())('WhatsApp inbound from two instances on %s', (driver) => {
  let h: DbHandle;
  let second: DbHandle | null = null;
  beforeAll(async () => {
    h = await createTestDb(driver);
    if (driver === 'postgres') {
      const [db] = rowsOf<{ name: string }>(await h.db.execute(sql`select current_database() as name`));
      const url = new URL(process.env.TEST_DATABASE_URL!);
      url.pathname = `/${db!.name}`;
      second = await openDb({ url: url.toString() });
    }
  });
  afterAll(async () => {
    await second?.close();
    await h?.close();
  });

  it('records every message exactly once, with no POST refused, when both write STOPs and STARTs of the same phones', async () => {
    const plan = planTraffic({ messages: 300, targets: 2, secret: SECRET, seed: 11 });
    // One market: every batch moves customers between the same aggregate rows.
    await insertCustomers(h.db, plan, 'two_instances', ['DE']);
    const instances = [h.db, second?.db ?? h.db].map((db) => inboundQueue(async (): Promise<Queryable> => db));
    const posts = plan.posts.filter((p) => p.kind !== 'forged');
    const send = async (i: number) => {
      const post = posts[i];
      if (!post) return [];
      const parsed = parseWebhook(JSON.parse(post.body));
      if (!parsed.ok) throw new Error(parsed.error);
      return Promise.allSettled([instances[post.target]!(parsed.intents)]);
    };
    const results: Array<PromiseSettledResult<{ recorded: number }>> = [];
    // Two POSTs at a time, one to each instance when the plan sends them so: each instance writes one alone while the
    // other writes its own, the way a quiet hour with two instances goes, where a deadlock left nothing to batch.
    for (let i = 0; i < posts.length; i += 2) results.push(...(await Promise.all([send(i), send(i + 1)])).flat());
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused.map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    const recorded = await checkRecorded(h.db, plan);
    expect(recorded).toMatchObject({ lost: 0, duplicated: 0 });
    // Each event was counted as recorded by exactly one of the POSTs that carried its message.
    const counted = results.reduce((sum, r) => sum + (r.status === 'fulfilled' ? r.value.recorded : 0), 0);
    expect(counted).toBe(recorded.events);
  }, 60_000);

  it('writes a batch again when it deadlocked with another writer, and refuses it at once when it keeps deadlocking', async () => {
    const plan = planTraffic({ messages: 3, targets: 1, secret: SECRET, seed: 3, series: 1 });
    await insertCustomers(h.db, plan, 'deadlock_retry');
    const stop = (i: number) => {
      const parsed = parseWebhook(
        inboundMessage(plan.phones[0]!, { type: 'text', text: 'STOP' }, { id: `${plan.prefix}retry${i}`, at: new Date() }),
      );
      if (!parsed.ok) throw new Error(parsed.error);
      return parsed.intents;
    };
    // As Drizzle throws it: its own error, with the driver's as the cause.
    const deadlock = () =>
      Object.assign(new Error('Failed query: delete from consent_intervals ...'), {
        cause: Object.assign(new Error('deadlock detected'), { code: '40P01' }),
      });
    const crossed = (failures: number) => {
      const state = { calls: 0 };
      const db = {
        transaction: (fn: never) => (++state.calls <= failures ? Promise.reject(deadlock()) : h.db.transaction(fn)),
      } as unknown as Queryable;
      return { state, write: inboundQueue(async () => db) };
    };

    const twice = crossed(2);
    const results = await Promise.allSettled([twice.write(stop(1)), twice.write(stop(2)), twice.write(stop(3))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    // The first POST alone (two deadlocks, then written), then the two that waited, together.
    expect(twice.state.calls).toBe(4);

    const always = crossed(Infinity);
    const refused = await Promise.allSettled([always.write(stop(4)), always.write(stop(5)), always.write(stop(6))]);
    expect(refused.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    // Each batch tried WRITE_ATTEMPTS times, and the second not again POST by POST: a deadlock is no bad POST.
    expect(always.state.calls).toBe(2 * WRITE_ATTEMPTS);
    const events = rowsOf<{ n: number }>(
      await h.db.execute(sql`select count(*)::int as n from consent_events where evidence->>'messageId' like ${`${plan.prefix}retry%`}`),
    );
    expect(events[0]!.n).toBe(3 * 2);
  });
});
