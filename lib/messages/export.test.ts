import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { DbHandle } from '@/db';
import { auditLog, campaignRecipients, campaigns, customers, messageDrafts, users } from '@/db/schema';
import { createTestDb, testDrivers } from '@/db/testing';
import { ensureDefaultPolicies } from '@/lib/consent-store/policies';
import { recordConsentEvent } from '@/lib/consent-store/record';
import { parseCustomerFilter } from '@/lib/customers/filter';
import { listCustomers } from '@/lib/customers/queries';
import { readLink } from '@/lib/public/token';
import { aggregateCounts, audienceCounts, audienceListHref, twinCounts } from './audience';
import { downloadCampaign, startExport } from './export';
import { marketingDraft } from './test-data';
import { saveDraft, stepDraft } from './store';

const DAY = 86_400_000;

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  const chunks: string[] = [];
  const decoder = new TextDecoder();
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(decoder.decode(chunk, { stream: true }));
  return chunks.join('');
}

describe.each(testDrivers())('audience and export on %s', (driver) => {
  let h: DbHandle;
  let seller: { id: number; role: 'seller' };
  let manager: { id: number; role: 'manager' };
  const now = new Date();
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    h = await createTestDb(driver);
    await ensureDefaultPolicies(h.db);
    const [s, m] = await h.db
      .insert(users)
      .values([
        { email: 'seller@example.com', name: 'Seller', role: 'seller', passwordHash: 'x' },
        { email: 'manager@example.com', name: 'Manager', role: 'manager', passwordHash: 'x' },
      ])
      .returning({ id: users.id });
    seller = { id: s!.id, role: 'seller' };
    manager = { id: m!.id, role: 'manager' };
    const people: Array<[key: string, market: string, phone: string | null]> = [
      ['granted', 'PL', '+48600000001'],
      ['granted2', 'PL', '+48600000002'],
      ['withdrawnBefore', 'PL', '+48600000003'],
      ['noPhone', 'PL', null],
      ['unknown', 'PL', '+48600000004'],
      ['transactionalOnly', 'PL', '+48600000005'],
      ['pendingDe', 'DE', '+4915100000006'],
      ['confirmedDe', 'DE', '+4915100000007'],
      ['otherMarket', 'FR', '+33600000008'],
      ['erased', 'PL', '+48600000009'],
    ];
    for (const [key, market, phone] of people) {
      const [c] = await h.db
        .insert(customers)
        .values({
          market,
          phone,
          firstName: key === 'granted2' ? null : `Name ${key}`,
          source: 'test',
          erasedAt: key === 'erased' ? now : null,
        })
        .returning({ id: customers.id });
      ids[key] = c!.id;
    }
    const record = async (
      key: string,
      kind: 'granted' | 'confirmed' | 'withdrawn',
      at: Date,
      purpose: 'marketing' | 'transactional' = 'marketing',
    ) => {
      const r = await recordConsentEvent(
        h.db,
        {
          customerId: ids[key]!,
          channel: 'whatsapp',
          purpose,
          kind,
          occurredAt: at,
          source: 'web_form',
          evidence: { formVersion: 'checkout v3' },
        },
        null,
      );
      expect(r.ok).toBe(true);
    };
    const earlier = new Date(now.getTime() - 10 * DAY);
    for (const key of ['granted', 'granted2', 'withdrawnBefore', 'noPhone', 'pendingDe', 'confirmedDe', 'otherMarket', 'erased'])
      await record(key, 'granted', earlier);
    await record('confirmedDe', 'confirmed', new Date(earlier.getTime() + DAY));
    await record('transactionalOnly', 'granted', earlier, 'transactional');
  });
  afterAll(async () => h?.close());

  it.each([
    ['marketing', { markets: ['PL', 'DE'] }],
    ['marketing', { markets: [] }],
    ['transactional', { markets: [] }],
    ['marketing', { markets: ['PL'], source: 'test' }],
  ] as const)('counts %s %j from the aggregates exactly as the SQL twin does customer by customer', async (purpose, audience) => {
    const sorted = (rows: Array<{ market: string; reason: string; n: string | number }>) =>
      rows.map((r) => `${r.market}:${r.reason}:${Number(r.n)}`).sort();
    const a = { ...audience, markets: [...audience.markets] };
    const twin = sorted(await twinCounts(h.db, purpose, a, now));
    expect(twin.length).toBeGreaterThan(0);
    expect(sorted(await aggregateCounts(h.db, purpose, a, now))).toEqual(twin);
  });

  it('counts the audience per market and reason, and each count links to exactly those customers', async () => {
    const audience = { markets: ['PL', 'DE'] };
    const counts = await audienceCounts(h.db, 'marketing', audience, now);
    expect(counts.total).toBe(9);
    expect(counts.allowed).toBe(4); // granted, granted2, withdrawnBefore (not yet withdrawn), confirmedDe
    expect(counts.markets.find((m) => m.market === 'PL')).toEqual({
      market: 'PL',
      total: 7,
      allowed: 3,
      blocked: { no_contact_point: 1, no_consent: 2, erased: 1 },
    });
    expect(counts.markets.find((m) => m.market === 'DE')).toEqual({
      market: 'DE',
      total: 2,
      allowed: 1,
      blocked: { confirmation_pending: 1 },
    });
    const listed = async (href: string) => {
      const search = new URLSearchParams(href.split('?')[1]);
      const params = Object.fromEntries([...search.keys()].map((k) => [k, search.getAll(k)]));
      return (await listCustomers(parseCustomerFilter(params), now, h.db)).total;
    };
    expect(await listed(audienceListHref('marketing', audience, { market: 'PL', reason: 'no_consent' }))).toBe(2);
    expect(await listed(audienceListHref('marketing', audience, { market: 'DE', reason: 'confirmation_pending' }))).toBe(1);
    expect(await listed(audienceListHref('marketing', audience, { reason: 'allowed' }))).toBe(4);
  });

  it('exports exactly the customers eligible at that moment: a withdrawal a second before keeps a customer out', async () => {
    const saved = await saveDraft(h.db, marketingDraft('spring_sale', { markets: ['PL', 'DE'] }), seller, now);
    expect(saved).toMatchObject({ ok: true, status: 'draft' });
    const id = saved.ok ? saved.id : 0;
    expect(await stepDraft(h.db, id, 'submit', seller)).toEqual({ ok: true, status: 'submitted' });
    expect(await stepDraft(h.db, id, 'approve', manager)).toEqual({ ok: true, status: 'approved' });

    const withdrawal = await recordConsentEvent(
      h.db,
      {
        customerId: ids.withdrawnBefore!,
        channel: 'whatsapp',
        purpose: 'marketing',
        kind: 'withdrawn',
        occurredAt: new Date(Date.now() - 1000),
        source: 'whatsapp_keyword',
        evidence: {},
      },
      null,
    );
    expect(withdrawal.ok).toBe(true);

    const started = await startExport(h.db, id, seller, new Date(), 2);
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    const lines = (await readAll(started.stream))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { to: string; template: { name: string; components: unknown[] } });
    expect(lines.map((l) => l.to).sort()).toEqual(['48600000001', '48600000002', '4915100000007']);
    expect(started.recipientCount).toBe(3);
    expect(lines[0]).toMatchObject({
      messaging_product: 'whatsapp',
      type: 'template',
      template: { name: 'spring_sale', language: { code: 'pl' } },
    });
    const texts = lines.map((l) => JSON.stringify(l.template.components));
    expect(texts.some((t) => t.includes('Name granted'))).toBe(true);
    // granted2 has no first name: the example fills in.
    expect(texts.some((t) => t.includes('"Anna"'))).toBe(true);

    const [campaign] = await h.db.select().from(campaigns).where(eq(campaigns.id, started.campaignId));
    expect(campaign).toMatchObject({ draftId: id, exportedBy: seller.id, recipientCount: 3 });
    const [draft] = await h.db.select({ status: messageDrafts.status }).from(messageDrafts).where(eq(messageDrafts.id, id));
    expect(draft?.status).toBe('exported');
    const audit = await h.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'message_draft'), eq(auditLog.entityId, String(id))))
      .orderBy(auditLog.id);
    expect(audit.map((a) => a.action)).toEqual([
      'message_draft.create',
      'message_draft.submit',
      'message_draft.approve',
      'message_draft.export',
    ]);

    expect(await startExport(h.db, id, seller)).toEqual({ ok: false, refusal: 'status' });
  });

  it('keeps the campaign of an abandoned download, holding nothing open, and serves the same file again', async () => {
    const saved = await saveDraft(h.db, marketingDraft('abandoned', { markets: ['PL'] }), seller, now);
    const id = saved.ok ? saved.id : 0;
    await stepDraft(h.db, id, 'submit', seller);
    await stepDraft(h.db, id, 'approve', manager);
    const started = await startExport(h.db, id, seller, new Date(), 1);
    if (!started.ok) throw new Error('export refused');
    const reader = started.stream.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    // The campaign and the draft's new status are committed before the first line: a stalled download holds no lock,
    // so the draft can be written meanwhile (on PGlite, which has one connection, this would wait for ever otherwise).
    const [draft] = await h.db.select({ status: messageDrafts.status }).from(messageDrafts).where(eq(messageDrafts.id, id));
    expect(draft?.status).toBe('exported');
    await h.db.update(messageDrafts).set({ reviewComment: 'touched while the download stalls' }).where(eq(messageDrafts.id, id));
    await reader.cancel();
    const [campaign] = await h.db.select().from(campaigns).where(eq(campaigns.id, started.campaignId));
    expect(campaign).toMatchObject({ draftId: id, recipientCount: 2 });
    expect(await h.db.$count(campaignRecipients, eq(campaignRecipients.campaignId, started.campaignId))).toBe(2);

    const again = await downloadCampaign(h.db, id, null, seller, new Date(), 1);
    expect(again).toMatchObject({
      ok: true,
      campaignId: started.campaignId,
      recipientCount: 2,
      fileName: `abandoned-${started.campaignId}.jsonl`,
    });
    if (!again.ok) return;
    const lines = (await readAll(again.stream))
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { to: string }).to);
    expect(lines).toEqual(['48600000001', '48600000002']);
    const downloads = await h.db
      .select({ actorId: auditLog.actorId })
      .from(auditLog)
      .where(and(eq(auditLog.action, 'campaign.download'), eq(auditLog.entityId, String(started.campaignId))));
    expect(downloads).toEqual([{ actorId: seller.id }]);
  });

  it('downloads a campaign again without those who may no longer be messaged, and only for the roles that export', async () => {
    const saved = await saveDraft(h.db, marketingDraft('downloaded_again', { markets: ['PL'] }), seller, now);
    const id = saved.ok ? saved.id : 0;
    await stepDraft(h.db, id, 'submit', seller);
    await stepDraft(h.db, id, 'approve', manager);
    const started = await startExport(h.db, id, seller, new Date(), 1);
    if (!started.ok) throw new Error('export refused');
    expect((await readAll(started.stream)).trim().split('\n')).toHaveLength(2);
    // Both decided recipients: one withdraws afterwards, the other's number changes hands.
    const withdrawal = await recordConsentEvent(
      h.db,
      {
        customerId: ids.granted!,
        channel: 'whatsapp',
        purpose: 'marketing',
        kind: 'withdrawn',
        occurredAt: new Date(),
        source: 'whatsapp_keyword',
        evidence: {},
      },
      null,
    );
    expect(withdrawal.ok).toBe(true);
    // A page at a time: the first page is emptied by the withdrawal, the file goes on.
    const again = await downloadCampaign(h.db, id, started.campaignId, seller, new Date(Date.now() + 1000), 1);
    if (!again.ok) throw new Error('download refused');
    expect(
      (await readAll(again.stream))
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { to: string }).to),
    ).toEqual(['48600000002']);
    await h.db.update(customers).set({ phone: '+48600000099' }).where(eq(customers.id, ids.granted2!));
    const third = await downloadCampaign(h.db, id, started.campaignId, seller, new Date(Date.now() + 1000));
    if (!third.ok) throw new Error('download refused');
    expect(await readAll(third.stream)).toBe('');
    expect(third.recipientCount).toBe(2);

    expect(await downloadCampaign(h.db, id, started.campaignId, manager)).toEqual({ ok: false, refusal: 'role' });
    expect(await downloadCampaign(h.db, id, 999_999, seller)).toEqual({ ok: false, refusal: 'not_found' });
    const other = await saveDraft(h.db, marketingDraft('never_exported', { markets: [] }), seller, now);
    expect(await downloadCampaign(h.db, other.ok ? other.id : 0, null, seller)).toEqual({ ok: false, refusal: 'not_found' });
    // A campaign of another draft is not served under this one.
    expect(await downloadCampaign(h.db, other.ok ? other.id : 0, started.campaignId, seller)).toEqual({ ok: false, refusal: 'not_found' });
  });

  it('refuses to export a draft that is not approved, and lets no manager export', async () => {
    const saved = await saveDraft(h.db, marketingDraft('not_approved', { markets: [] }), seller, now);
    const id = saved.ok ? saved.id : 0;
    expect(await startExport(h.db, id, seller)).toEqual({ ok: false, refusal: 'status' });
    expect(await startExport(h.db, id, manager)).toEqual({ ok: false, refusal: 'role' });
    expect(await startExport(h.db, 999_999, seller)).toEqual({ ok: false, refusal: 'not_found' });
  });

  it("fills a variable with each recipient's own preference link, and exports nothing when no link can be built", async () => {
    const draft = {
      ...marketingDraft('preferences_link', { markets: ['PL'] }),
      body: 'Cześć {{1}}, wiosenna wyprzedaż już trwa. Zgody zmienisz tutaj: {{2}} – do zobaczenia!',
      examples: ['Anna', 'https://zgoda.example.com/p/przyklad'],
      variableFields: ['first_name', 'preference_link'] as const,
    };
    const saved = await saveDraft(h.db, { ...draft, variableFields: [...draft.variableFields] }, seller, now);
    const id = saved.ok ? saved.id : 0;
    await stepDraft(h.db, id, 'submit', seller);
    await stepDraft(h.db, id, 'approve', manager);

    const refused = await startExport(h.db, id, seller, new Date(), 10, { ok: false, reason: 'no_public_base_url' });
    expect(refused).toEqual({ ok: false, refusal: 'no_public_base_url' });
    const [still] = await h.db.select({ status: messageDrafts.status }).from(messageDrafts).where(eq(messageDrafts.id, id));
    expect(still?.status).toBe('approved');
    expect(await h.db.select().from(campaigns).where(eq(campaigns.draftId, id))).toEqual([]);

    const base = 'https://zgoda.example.com';
    const started = await startExport(h.db, id, seller, new Date(), 10, { ok: true, base });
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    const lines = (await readAll(started.stream)).trim().split('\n');
    const recipients = await h.db
      .select({ customerId: campaignRecipients.customerId, phone: campaignRecipients.phone })
      .from(campaignRecipients)
      .where(eq(campaignRecipients.campaignId, started.campaignId));
    expect(lines).toHaveLength(recipients.length);
    for (const line of lines) {
      const body = JSON.parse(line) as { to: string; template: { components: Array<{ parameters: Array<{ text: string }> }> } };
      const link = body.template.components[0]!.parameters[1]!.text;
      expect(link.startsWith(`${base}/p/`)).toBe(true);
      const read = readLink(link.slice(`${base}/p/`.length), 'preferences');
      const customerId = recipients.find((r) => r.phone.replace(/\D/g, '') === body.to)!.customerId;
      expect(read).toMatchObject({ ok: true, subject: String(customerId) });
    }
  });

  it('does not let the author approve a marketing draft, nor approve a transactional draft with promotion', async () => {
    const own = await saveDraft(h.db, marketingDraft('own_approval', { markets: [] }), { id: manager.id, role: 'seller' }, now);
    const ownId = own.ok ? own.id : 0;
    await stepDraft(h.db, ownId, 'submit', { id: manager.id, role: 'seller' });
    expect(await stepDraft(h.db, ownId, 'approve', manager)).toEqual({ ok: false, refusal: 'own_draft' });

    const promo = await saveDraft(h.db, { ...marketingDraft('order_promo', { markets: [] }), category: 'transactional' }, seller, now);
    const promoId = promo.ok ? promo.id : 0;
    expect(await stepDraft(h.db, promoId, 'submit', seller)).toEqual({ ok: false, refusal: 'checks' });
  });

  it('sends an approved draft back to draft when it is edited, and refuses a second draft of the same name', async () => {
    const saved = await saveDraft(h.db, marketingDraft('edited_after', { markets: [] }), seller, now);
    const id = saved.ok ? saved.id : 0;
    await stepDraft(h.db, id, 'submit', seller);
    await stepDraft(h.db, id, 'approve', manager);
    expect(
      await saveDraft(
        h.db,
        { ...marketingDraft('edited_after', { markets: [] }), id, body: 'Cześć {{1}}, Kwiatek ma nowości dla Ciebie.' },
        seller,
        now,
      ),
    ).toEqual({ ok: true, id, status: 'draft', reopened: true });
    expect(await saveDraft(h.db, marketingDraft('edited_after', { markets: [] }), seller, now)).toEqual({
      ok: false,
      refusal: 'name_taken',
    });
  });
});
