import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq, sql } from 'drizzle-orm';
import type { DbHandle, Queryable } from '@/db';
import { openDb } from '@/db';
import { auditLog } from '@/db/schema';
import { createTestDb, testDrivers } from '@/db/testing';
import { describeReport, GENESIS_HASH, verifyChain } from './chain';
import { writeAudit, writeAudits } from './write';

/** What a superuser can do: change the log with its triggers off, for this one transaction. */
async function tamper(db: DbHandle['db'], statement: ReturnType<typeof sql>) {
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(statement);
  });
}

const entry = (n: number) => ({ actorId: null, action: 'test.entry', entity: 'test', entityId: n, after: { n, note: 'zażółć' } });

async function seqOf(q: Queryable, entityId: number) {
  const [row] = await q
    .select({ seq: auditLog.seq, id: auditLog.id })
    .from(auditLog)
    .where(eq(auditLog.entityId, String(entityId)));
  return row!;
}

describe.each(testDrivers())('audit chain on %s', (driver) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await createTestDb(driver);
  });
  afterAll(async () => h?.close());

  it('chains every entry to the one before, one statement of many included', async () => {
    await writeAudit(h.db, entry(1));
    await writeAudits(h.db, [entry(2), entry(3), entry(4)]);
    await h.db.transaction(async (tx) => {
      await writeAudit(tx, entry(5));
      await writeAudit(tx, entry(6));
    });
    const rows = await h.db.select().from(auditLog).orderBy(asc(auditLog.seq));
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rows[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prevHash).toBe(rows[i - 1]!.hash);
    expect(new Set(rows.map((r) => r.hash)).size).toBe(6);
    const report = await verifyChain(h.db, { batch: 4 });
    expect(report).toEqual({ ok: true, entries: 6, lastSeq: 6, lastHash: rows[5]!.hash });
  });

  it('refuses UPDATE, DELETE and TRUNCATE, and a forged seq or hash is overwritten', async () => {
    await expect(h.db.update(auditLog).set({ action: 'forged' })).rejects.toThrow();
    await expect(h.db.delete(auditLog)).rejects.toThrow();
    await expect(h.db.execute(sql`truncate audit_log`)).rejects.toThrow();
    await h.db.execute(
      sql`insert into audit_log (action, entity, entity_id, seq, prev_hash, hash) values ('test.entry', 'test', '7', 1, ${GENESIS_HASH}, 'x')`,
    );
    expect(await seqOf(h.db, 7)).toMatchObject({ seq: 7 });
    expect(await h.db.$count(auditLog, eq(auditLog.action, 'forged'))).toBe(0);
    expect((await verifyChain(h.db)).ok).toBe(true);
  });

  it('names an entry edited behind the triggers, and the chain is whole again once it is put back', async () => {
    const { seq, id } = await seqOf(h.db, 3);
    await tamper(h.db, sql`update audit_log set after = jsonb_set(after, '{n}', '30') where id = ${id}`);
    const report = await verifyChain(h.db);
    expect(report).toMatchObject({ ok: false, verifiedUpTo: seq - 1, broken: { seq, id, reason: 'edited' } });
    expect(describeReport(report)).toBe(
      `audit chain broken: entry ${seq} (id ${id}) was changed after it was written; intact up to entry ${seq - 1}`,
    );

    await tamper(h.db, sql`update audit_log set after = jsonb_set(after, '{n}', '3') where id = ${id}`);
    expect((await verifyChain(h.db)).ok).toBe(true);

    // Recomputing the edited entry's own hash does not help: the next entry still names the old one.
    await tamper(
      h.db,
      sql`update audit_log set actor_id = null, entity_id = '33',
            hash = audit_log_hash(seq, id, at, null, action, entity, '33', before, after, prev_hash) where id = ${id}`,
    );
    expect(await verifyChain(h.db)).toMatchObject({ ok: false, verifiedUpTo: seq, broken: { seq: seq + 1, reason: 'relinked' } });
    await tamper(
      h.db,
      sql`update audit_log set entity_id = '3', hash = audit_log_hash(seq, id, at, actor_id, action, entity, '3', before, after, prev_hash) where id = ${id}`,
    );
    expect((await verifyChain(h.db)).ok).toBe(true);
  });

  it('names the entry after one deleted behind the triggers', async () => {
    const { seq } = await seqOf(h.db, 4);
    const next = await seqOf(h.db, 5);
    await tamper(h.db, sql`delete from audit_log where seq = ${seq}`);
    const report = await verifyChain(h.db, { batch: 2 });
    expect(report).toMatchObject({
      ok: false,
      verifiedUpTo: seq - 1,
      broken: { seq: next.seq, id: next.id, reason: 'missing', missing: { from: seq, to: seq } },
    });
    expect(describeReport(report)).toContain(`entries ${seq} are missing before entry ${next.seq}`);
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)('audit chain with writers side by side on postgres', () => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await createTestDb('postgres');
  });
  afterAll(async () => h?.close());

  it('stays one chain when transactions of several connections write at once', async () => {
    const others = await Promise.all([0, 1, 2, 3].map(() => openDb({ url: h.url! })));
    try {
      await Promise.all(
        others.flatMap((o, k) =>
          Array.from({ length: 25 }, (_, i) =>
            o.db.transaction(async (tx) => {
              await writeAudits(tx, [entry(k * 1000 + i), entry(k * 1000 + i + 500)]);
              await tx.execute(sql`select pg_sleep(0.001)`);
              await writeAudit(tx, entry(k * 1000 + i + 900));
            }),
          ),
        ),
      );
    } finally {
      await Promise.all(others.map((o) => o.close()));
    }
    expect(await verifyChain(h.db)).toMatchObject({ ok: true, entries: 300, lastSeq: 300 });
  });
});
