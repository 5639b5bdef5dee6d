import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { DbHandle } from '@/db';
import { auditLog, consentEvents, consentIntervals, consentState, customers } from '@/db/schema';
import { createTestDb, testDrivers } from '@/db/testing';
import { recordConsentEvent, recordConsentEvents } from './record';

const evidence = { wording: 'Yes, send me offers on WhatsApp', formVersion: 'checkout v3' };

describe.each(testDrivers())('consent ledger on %s', (driver) => {
  let h: DbHandle;
  let customerId: number;
  beforeAll(async () => {
    h = await createTestDb(driver);
    const [c] = await h.db
      .insert(customers)
      .values({ market: 'DE', email: 'anna@example.de', phone: '+4915112345678', source: 'test' })
      .returning({ id: customers.id });
    customerId = c!.id;
  });
  afterAll(async () => h?.close());

  const at = (day: string) => new Date(`${day}T10:00:00Z`);
  const record = (kind: 'granted' | 'confirmed' | 'withdrawn', day: string, key?: string) =>
    recordConsentEvent(
      h.db,
      {
        customerId,
        channel: 'whatsapp',
        purpose: 'marketing',
        kind,
        occurredAt: at(day),
        source: 'web_form',
        evidence,
        idempotencyKey: key,
      },
      null,
    );

  it('refuses UPDATE, DELETE and TRUNCATE on the ledger', async () => {
    const result = await record('granted', '2026-01-01');
    expect(result.ok).toBe(true);
    await expect(h.db.update(consentEvents).set({ source: 'forged' })).rejects.toThrow();
    await expect(h.db.delete(consentEvents)).rejects.toThrow();
    await expect(h.db.execute(sql`truncate consent_events cascade`)).rejects.toThrow();
    const rows = await h.db.select({ source: consentEvents.source }).from(consentEvents);
    expect(rows.every((r) => r.source === 'web_form')).toBe(true);
  });

  it('writes the event, the state and the audit entry together', async () => {
    const auditBefore = await h.db.$count(auditLog);
    const result = await record('withdrawn', '2026-02-01');
    expect(result).toMatchObject({ ok: true, duplicate: false, state: { status: 'withdrawn' } });
    const [state] = await h.db.select().from(consentState).where(eq(consentState.customerId, customerId));
    expect(state?.status).toBe('withdrawn');
    expect(await h.db.$count(auditLog)).toBe(auditBefore + 1);
  });

  it('lets an older grant delivered late not overturn the withdrawal', async () => {
    const result = await record('granted', '2026-01-15');
    expect(result).toMatchObject({ ok: true, state: { status: 'withdrawn' } });
  });

  it('re-opens on a later evidenced grant', async () => {
    const result = await record('granted', '2026-03-01');
    expect(result).toMatchObject({ ok: true, state: { status: 'granted' } });
  });

  it('writes nothing for the same idempotency key twice', async () => {
    const first = await record('withdrawn', '2026-04-01', 'wamid.ABC');
    const events = await h.db.$count(consentEvents);
    const audits = await h.db.$count(auditLog);
    const intervals = await h.db
      .select({ id: consentIntervals.id })
      .from(consentIntervals)
      .where(eq(consentIntervals.customerId, customerId));
    const second = await record('withdrawn', '2026-04-01', 'wamid.ABC');
    // Nothing new in the ledger, so the projection is left as it was (not rewritten).
    expect(
      await h.db.select({ id: consentIntervals.id }).from(consentIntervals).where(eq(consentIntervals.customerId, customerId)),
    ).toEqual(intervals);
    expect(first).toMatchObject({ ok: true, duplicate: false });
    expect(second).toMatchObject({ ok: true, duplicate: true, eventId: null, state: { status: 'withdrawn' } });
    expect(await h.db.$count(consentEvents)).toBe(events);
    expect(await h.db.$count(auditLog)).toBe(audits);
  });

  it('refuses a grant without evidence and writes nothing', async () => {
    const events = await h.db.$count(consentEvents);
    const result = await recordConsentEvent(
      h.db,
      { customerId, channel: 'email', purpose: 'marketing', kind: 'granted', occurredAt: at('2026-05-01'), source: 'import', evidence: {} },
      null,
    );
    expect(result).toMatchObject({ ok: false, code: 'missing_evidence' });
    expect(await h.db.$count(consentEvents)).toBe(events);
  });

  it('refuses an event in the future', async () => {
    const result = await recordConsentEvent(
      h.db,
      {
        customerId,
        channel: 'email',
        purpose: 'marketing',
        kind: 'withdrawn',
        occurredAt: new Date(Date.now() + 86_400_000),
        source: 'support_call',
        evidence: {},
      },
      null,
    );
    expect(result).toMatchObject({ ok: false, code: 'in_future' });
  });

  it('reports an unknown customer', async () => {
    const result = await recordConsentEvent(
      h.db,
      {
        customerId: 999_999,
        channel: 'email',
        purpose: 'marketing',
        kind: 'withdrawn',
        occurredAt: at('2026-05-01'),
        source: 'support_call',
        evidence: {},
      },
      null,
    );
    expect(result).toMatchObject({ ok: false, code: 'customer_not_found' });
  });

  it('leaves nothing half-written when a step fails', async () => {
    const events = await h.db.$count(consentEvents);
    const states = await h.db.$count(consentState);
    // An actor that does not exist fails the write inside the transaction.
    await expect(
      recordConsentEvent(
        h.db,
        {
          customerId,
          channel: 'sms',
          purpose: 'marketing',
          kind: 'withdrawn',
          occurredAt: at('2026-05-01'),
          source: 'support_call',
          evidence: {},
        },
        424242,
      ),
    ).rejects.toThrow();
    expect(await h.db.$count(consentEvents)).toBe(events);
    expect(await h.db.$count(consentState)).toBe(states);
  });

  it('records one act of several events together, or none of them', async () => {
    const events = await h.db.$count(consentEvents);
    const act = (purpose: 'marketing' | 'transactional', occurredAt: Date) => ({
      customerId,
      channel: 'phone' as const,
      purpose,
      kind: 'withdrawn' as const,
      occurredAt,
      source: 'support_call',
      evidence: { reason: 'asked to stop calls' },
    });
    const refused = await recordConsentEvents(
      h.db,
      [act('marketing', at('2026-06-01')), act('transactional', new Date(Date.now() + 86_400_000))],
      null,
    );
    expect(refused).toMatchObject({ ok: false, code: 'in_future' });
    expect(await h.db.$count(consentEvents)).toBe(events);
    const result = await recordConsentEvents(h.db, [act('marketing', at('2026-06-01')), act('transactional', at('2026-06-01'))], null);
    expect(result).toMatchObject({
      ok: true,
      events: [
        { duplicate: false, state: { status: 'withdrawn' } },
        { duplicate: false, state: { status: 'withdrawn' } },
      ],
    });
    expect(await h.db.$count(consentEvents)).toBe(events + 2);
  });
});
