import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import type { DbHandle } from '@/db';
import {
  auditLog,
  consentEvidencePersonal,
  customers,
  fileChunks,
  importBatches,
  importConsents,
  importRows,
  replyReviews,
  retentionRuns,
  signInThrottle,
} from '@/db/schema';
import { createTestDb, testDrivers } from '@/db/testing';
import { verifyChain } from '@/lib/audit/chain';
import { recordConsentEvent } from '@/lib/consent-store/record';
import { storeFile } from '@/lib/files/store';
import { runRetention } from './run';
import { DEFAULT_RETENTION } from './settings';

const NOW = new Date('2026-12-01T03:15:00Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);

describe.each(testDrivers())('retention on %s', (driver) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await createTestDb(driver);
  });
  afterAll(async () => h?.close());

  async function batch(status: 'committed' | 'dry_run', at: Date, rows: number) {
    const file = await storeFile(h.db, Readable.from([Buffer.from('email\nanna@example.de\n')]), 1 << 20);
    const [b] = await h.db
      .insert(importBatches)
      .values({ fileName: 'shop.csv', fileKey: file.key, status, createdAt: at, committedAt: status === 'committed' ? at : null })
      .returning({ id: importBatches.id });
    const id = b!.id;
    if (rows > 0) {
      await h.db.insert(importRows).values(
        Array.from({ length: rows }, (_, i) => ({
          batchId: id,
          rowNo: i + 1,
          line: i + 2,
          email: `p${i}@example.de`,
          outcome: 'rejected',
          error: 'x',
        })),
      );
      await h.db
        .insert(importConsents)
        .values({ batchId: id, rowNo: 1, channel: 'email', purpose: 'marketing', kind: 'granted', occurredAt: at, evidence: {} });
    }
    return { id, name: file.key.slice(3) };
  }

  async function customer(createdAt: Date, lastOrderAt: Date | null, eventAt: Date | null) {
    const [c] = await h.db
      .insert(customers)
      .values({ market: 'DE', email: `c${Math.random()}@example.de`, source: 'test', createdAt, lastOrderAt })
      .returning({ id: customers.id });
    if (eventAt)
      await recordConsentEvent(
        h.db,
        {
          customerId: c!.id,
          channel: 'email',
          purpose: 'marketing',
          kind: 'granted',
          occurredAt: eventAt,
          source: 'web_form',
          evidence: { formVersion: 'v1' },
        },
        null,
      );
    return c!.id;
  }

  it('removes exactly what is due, in every kind, and records the run', async () => {
    const oldBatch = await batch('committed', ago(31), 12);
    const newBatch = await batch('committed', ago(29), 3);
    const abandoned = await batch('dry_run', ago(40), 2);
    const fresh = await batch('dry_run', ago(2), 2);
    // Pieces no batch names: an old one goes, one that may be an upload under way stays.
    await h.db.insert(fileChunks).values([
      { fileKey: 'orphan-old', seq: 0, data: new Uint8Array([1]), createdAt: ago(2) },
      { fileKey: 'orphan-new', seq: 0, data: new Uint8Array([1]), createdAt: new Date(NOW.getTime() - 3_600_000) },
    ]);
    await h.db.insert(signInThrottle).values([
      { key: 'ip:old', failures: 3, windowStartedAt: ago(40), lastFailedAt: ago(31) },
      { key: 'ip:recent', failures: 3, windowStartedAt: ago(40), lastFailedAt: ago(29) },
      { key: 'ip:locked', failures: 30, windowStartedAt: ago(40), lastFailedAt: ago(31), lockedUntil: new Date(Date.now() + 3_600_000) },
    ]);
    const review = (id: string, receivedAt: Date) => ({
      messageId: id,
      phone: '+4915112345678',
      text: 'Bitte keine Werbung',
      cue: 'keine Werbung',
      receivedAt,
    });
    await h.db.insert(replyReviews).values([review('wamid.old', ago(2 * 365 + 5)), review('wamid.recent', ago(700))]);
    // The same words kept as evidence beside the ledger: two old (one with an IP that stays), one recent.
    const speaker = await customer(ago(100), null, null);
    const withdrawal = (customerText: string, ip?: string) =>
      recordConsentEvent(
        h.db,
        {
          customerId: speaker,
          channel: 'whatsapp',
          purpose: 'marketing',
          kind: 'withdrawn',
          occurredAt: ago(2 * 365 + 5),
          source: 'whatsapp_reply',
          evidence: { messageId: `wamid.${customerText}`, customerText, ip },
        },
        null,
      );
    for (const r of [await withdrawal('Bitte nicht mehr', '203.0.113.5'), await withdrawal('Keine Werbung'), await withdrawal('Neu')])
      expect(r.ok).toBe(true);
    await h.db
      .update(consentEvidencePersonal)
      .set({ recordedAt: ago(2 * 365 + 5) })
      .where(sql`${consentEvidencePersonal.evidence}->>'customerText' <> 'Neu'`);
    const due = await customer(ago(6 * 365), null, ago(5 * 365 + 10));
    const recentEvent = await customer(ago(6 * 365), null, ago(5 * 365 - 10));
    const recentOrder = await customer(ago(6 * 365), ago(100), ago(5 * 365 + 10));
    const noEventsOld = await customer(ago(5 * 365 + 10), null, null);
    const noEventsNew = await customer(ago(100), null, null);

    const pseudonymised: number[] = [];
    const run = await runRetention(h.db, {
      settings: DEFAULT_RETENTION,
      startedBy: null,
      now: NOW,
      pseudonymise: async (_db, id) => {
        pseudonymised.push(id);
        return true;
      },
    });

    expect(run.status).toBe('done');
    expect(run.removed).toEqual({
      importFiles: 1,
      importRows: 13,
      abandonedImports: 1,
      replyTexts: 3,
      signInThrottle: 1,
      orphanFileChunks: 1,
      customersPseudonymised: 2,
    });
    expect(pseudonymised.sort()).toEqual([due, noEventsOld].sort());
    expect(
      (await h.db.select({ evidence: consentEvidencePersonal.evidence }).from(consentEvidencePersonal)).map((r) => r.evidence),
    ).toEqual(expect.arrayContaining([{ ip: '203.0.113.5' }, { customerText: 'Neu' }]));
    expect(await h.db.$count(consentEvidencePersonal)).toBe(2);
    expect(pseudonymised).not.toContain(recentEvent);
    expect(pseudonymised).not.toContain(recentOrder);
    expect(pseudonymised).not.toContain(noEventsNew);

    const batches = await h.db.select({ id: importBatches.id, removed: importBatches.filesRemovedAt }).from(importBatches);
    expect(batches.find((b) => b.id === oldBatch.id)?.removed).not.toBeNull();
    expect(batches.find((b) => b.id === newBatch.id)?.removed).toBeNull();
    expect(batches.map((b) => b.id)).not.toContain(abandoned.id);
    expect(batches.map((b) => b.id)).toContain(fresh.id);
    expect(await h.db.$count(importRows, eq(importRows.batchId, oldBatch.id))).toBe(0);
    expect(await h.db.$count(importConsents, eq(importConsents.batchId, oldBatch.id))).toBe(0);
    expect(await h.db.$count(importRows, eq(importRows.batchId, newBatch.id))).toBe(3);
    const chunkNames = (await h.db.selectDistinct({ key: fileChunks.fileKey }).from(fileChunks)).map((c) => c.key).sort();
    expect(chunkNames).toEqual([newBatch.name, fresh.name, 'orphan-new'].sort());
    expect((await h.db.select({ key: signInThrottle.key }).from(signInThrottle)).map((r) => r.key).sort()).toEqual([
      'ip:locked',
      'ip:recent',
    ]);
    const reviews = await h.db.select({ id: replyReviews.messageId, text: replyReviews.text, cue: replyReviews.cue }).from(replyReviews);
    expect(reviews.find((r) => r.id === 'wamid.old')).toEqual({ id: 'wamid.old', text: '', cue: '' });
    expect(reviews.find((r) => r.id === 'wamid.recent')?.text).toBe('Bitte keine Werbung');

    const [audit] = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'retention.run'), eq(auditLog.entityId, String(run.id))));
    expect(audit?.after).toMatchObject({ ok: true, removed: run.removed });
    expect((await verifyChain(h.db)).ok).toBe(true);
  });

  it('removes nothing the second time, and marks a run a stopped instance left running as failed', async () => {
    const [stale] = await h.db.insert(retentionRuns).values({ settings: DEFAULT_RETENTION }).returning({ id: retentionRuns.id });
    const run = await runRetention(h.db, { settings: DEFAULT_RETENTION, startedBy: null, now: NOW, pseudonymise: async () => false });
    expect(Object.values(run.removed).every((n) => n === 0)).toBe(true);
    const [left] = await h.db.select().from(retentionRuns).where(eq(retentionRuns.id, stale!.id));
    expect(left).toMatchObject({ status: 'failed', error: expect.stringContaining('interrupted') });
  });

  it('records a failed run with what it removed until then, and an audit entry', async () => {
    await customer(ago(6 * 365), null, null);
    const run = await runRetention(h.db, {
      settings: DEFAULT_RETENTION,
      startedBy: null,
      now: NOW,
      pseudonymise: async () => {
        throw new Error('erasure failed');
      },
    });
    expect(run).toMatchObject({ status: 'failed', error: expect.stringContaining('server log') });
    const rows = await h.db.execute(
      sql`select after->>'ok' as ok from audit_log where action = 'retention.run' and entity_id = ${String(run.id)}`,
    );
    expect(JSON.stringify(rows)).toContain('false');
  });
});
