// Two app instances writing webhook POSTs at once on one database: each has its own connection pool and its own queue,
// as two processes behind a load balancer do. On PGlite (one connection) the two queues only take turns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { DbHandle, Queryable } from '@/db';
import { openDb } from '@/db';
import { rowsOf } from '@/db/sql';
import { createTestDb, testDrivers } from '@/db/testing';
import { inboundQueue } from './inbound-queue';
import { parseWebhook } from './payload';
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
});
