import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db';
import { campaigns, complaints, customers, messageDrafts, users } from '@/db/schema';
import { createTestDb, testDrivers } from '@/db/testing';
import { recordConsentEvent } from '@/lib/consent-store/record';
import { alertFacts } from './queries';
import { monitorTable, periods } from './tables';

describe('periods', () => {
  it('lists days, and weeks from the Monday of the first', () => {
    expect(periods('2026-03-01', '2026-03-03', 'day')).toEqual(['2026-03-01', '2026-03-02', '2026-03-03']);
    expect(periods('2026-03-04', '2026-03-16', 'week')).toEqual(['2026-03-02', '2026-03-09', '2026-03-16']);
  });
});

describe.each(testDrivers())('monitor queries on %s', (driver) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await createTestDb(driver);
    const [u] = await h.db
      .insert(users)
      .values({ email: 'a@x.test', name: 'A', role: 'admin', passwordHash: 'x' })
      .returning({ id: users.id });
    const rows = await h.db
      .insert(customers)
      .values([
        { market: 'DE', source: 'test' },
        { market: 'DE', source: 'test' },
        { market: 'PL', source: 'test' },
        { market: 'PL', source: 'test' },
      ])
      .returning({ id: customers.id });
    const withdraw = (i: number, channel: 'whatsapp' | 'email', purpose: 'marketing' | 'transactional', day: string, source: string) =>
      recordConsentEvent(
        h.db,
        { customerId: rows[i]!.id, channel, purpose, kind: 'withdrawn', occurredAt: new Date(`${day}T10:00:00Z`), source, evidence: {} },
        null,
      );
    await withdraw(0, 'whatsapp', 'marketing', '2026-03-03', 'whatsapp_keyword');
    await withdraw(0, 'whatsapp', 'transactional', '2026-03-03', 'whatsapp_keyword'); // the same opt-out
    await withdraw(1, 'whatsapp', 'marketing', '2026-03-04', 'whatsapp_setting');
    await withdraw(2, 'email', 'marketing', '2026-03-10', 'support_call');
    await withdraw(3, 'email', 'marketing', '2026-01-10', 'unsubscribe_link');
    const [draft] = await h.db
      .insert(messageDrafts)
      .values({ name: 'spring_sale', category: 'marketing', language: 'de', body: 'x', authorId: u!.id, audience: { markets: ['DE'] } })
      .returning({ id: messageDrafts.id });
    const [campaign] = await h.db
      .insert(campaigns)
      .values({ draftId: draft!.id, exportedBy: u!.id, exportedAt: new Date('2026-03-02T08:00:00Z'), recipientCount: 100 })
      .returning({ id: campaigns.id });
    await h.db.insert(complaints).values([
      {
        channel: 'whatsapp',
        market: 'DE',
        kind: 'unwanted_marketing',
        description: 'x',
        receivedAt: new Date('2026-03-03T09:00:00Z'),
        createdBy: u!.id,
        campaignId: campaign!.id,
      },
      {
        channel: 'email',
        market: 'PL',
        kind: 'legal_notice',
        description: 'x',
        receivedAt: new Date('2026-03-11T09:00:00Z'),
        createdBy: u!.id,
        urgent: true,
      },
    ]);
  });
  afterAll(async () => h?.close());

  const range = { from: '2026-03-01', to: '2026-03-15', market: [] as string[], grain: 'week' as const };

  it('counts opt-outs per week by channel, a withdrawal of both purposes once', async () => {
    const table = await monitorTable('channels', range, h.db);
    expect(table.columns).toEqual(['period', 'email', 'sms', 'whatsapp', 'phone']);
    expect(table.rows).toEqual([
      ['2026-02-23', 0, 0, 0, 0],
      ['2026-03-02', 0, 0, 2, 0],
      ['2026-03-09', 1, 0, 0, 0],
    ]);
  });

  it('counts opt-outs by source and filters by market', async () => {
    const table = await monitorTable('sources', { ...range, market: ['DE'], grain: 'day' }, h.db);
    const byDay = Object.fromEntries(table.rows.map((r) => [r[0], r.slice(1)]));
    expect(table.columns).toEqual(['period', 'keyword', 'whatsapp_setting', 'customer', 'support', 'complaint', 'import', 'other']);
    expect(byDay['2026-03-03']).toEqual([1, 0, 0, 0, 0, 0, 0]);
    expect(byDay['2026-03-04']).toEqual([0, 1, 0, 0, 0, 0, 0]);
    expect(byDay['2026-03-10']).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it("counts an unsubscribe link as the customer's own opt-out", async () => {
    const table = await monitorTable('sources', { from: '2026-01-01', to: '2026-01-31', market: ['PL'], grain: 'day' }, h.db);
    expect(Object.fromEntries(table.rows.map((r) => [r[0], r.slice(1)]))['2026-01-10']).toEqual([0, 0, 1, 0, 0, 0, 0]);
  });

  it('counts complaints per week by kind', async () => {
    const table = await monitorTable('complaints', range, h.db);
    const legal = table.columns.indexOf('legal_notice');
    const unwanted = table.columns.indexOf('unwanted_marketing');
    expect(table.rows.find((r) => r[0] === '2026-03-02')?.[unwanted]).toBe(1);
    expect(table.rows.find((r) => r[0] === '2026-03-09')?.[legal]).toBe(1);
  });

  it('rates a campaign by WhatsApp opt-outs in its markets within 7 days', async () => {
    const table = await monitorTable('campaigns', range, h.db);
    expect(table.rows).toEqual([['spring_sale', '2026-03-02T08:00:00.000Z', 100, 2, 0.02, 1]]);
  });

  it('ranks markets by opt-outs over customers', async () => {
    const table = await monitorTable('markets', range, h.db);
    expect(table.rows).toEqual([
      ['DE', 2, 2, 1],
      ['PL', 1, 2, 0.5],
    ]);
  });

  it('collects the facts alerts are decided from', async () => {
    const facts = await alertFacts(new Date('2026-03-12T12:00:00Z'), h.db);
    expect(facts).toMatchObject({
      weekStart: '2026-03-09',
      complaintsThisWeek: 1,
      complaintsPreviousWeeks: [1, 0, 0, 0],
      openLegalNotices: 1,
    });
    expect(facts.campaigns).toMatchObject([{ name: 'spring_sale', rate: 0.02 }]);
  });
});
