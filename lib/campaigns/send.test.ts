import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { DbHandle } from '@/db';
import { campaignRecipients, campaigns, consentEvents, consentState, customers, users } from '@/db/schema';
import { rowsOf } from '@/db/sql';
import { createTestDb, testDrivers } from '@/db/testing';
import { ensureDefaultPolicies } from '@/lib/consent-store/policies';
import { recordConsentEvent } from '@/lib/consent-store/record';
import { marketingDraft } from '@/lib/messages/test-data';
import { saveDraft, stepDraft } from '@/lib/messages/store';
import { campaignRates } from '@/lib/monitor/queries';
import { writeSetting } from '@/lib/settings/app-settings';
import { controlCampaign, createSendCampaign } from './create';
import type { SendAnswer } from './outcomes';
import type { MessageBody } from './send';
import { runSender } from './send';
import type { RecipientStatus } from './queries';
import { campaignDetail, reachedCount, recipientsPage } from './queries';
import { applyStatuses } from './statuses';

const DAY = 86_400_000;
const PHONE_ID = '1099001';
const noQueue = async () => {};
const settingsOff = { ratePerSecond: 1000, frequencyCap: 100, quietHours: { start: '00:00', end: '00:00' }, quietHoursByMarket: {} };

type Call = { to: string; at: number };
/** A stand-in for Meta: answers per phone (digits) from `answers`, a wamid otherwise; logs every call. */
function fakeSend(answers: Record<string, SendAnswer | ((n: number) => SendAnswer)> = {}, onCall?: (to: string) => Promise<void>) {
  const calls: Call[] = [];
  const send = async (body: MessageBody): Promise<SendAnswer> => {
    calls.push({ to: body.to, at: Date.now() });
    await onCall?.(body.to);
    const answer = answers[body.to];
    const n = calls.filter((c) => c.to === body.to).length;
    if (typeof answer === 'function') return answer(n);
    return answer ?? { ok: true, messageId: `wamid.${body.to}.${n}` };
  };
  return { calls, send };
}
const error = (code: number, httpStatus = 400, title = `error ${code}`): SendAnswer => ({ ok: false, httpStatus, code, title });

describe.each(testDrivers())('campaign sending on %s', (driver) => {
  let h: DbHandle;
  let seller: { id: number; role: 'seller' };
  let manager: { id: number; role: 'manager' };
  let tag = 0;

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
    await writeSetting(h.db, 'campaign_sending', settingsOff, manager.id);
  });
  afterAll(async () => h?.close());

  /** n customers of their own with WhatsApp marketing granted, and an approved draft sent to exactly them. */
  async function campaignOf(n: number, market = 'PL', ratePerSecond: number | null = 0) {
    tag++;
    const source = `test-${tag}`;
    const phones = Array.from({ length: n }, (_, i) => `+486${String(tag).padStart(2, '0')}${String(i).padStart(6, '0')}`);
    const rows = await h.db
      .insert(customers)
      .values(phones.map((phone, i) => ({ market, phone, firstName: `P${i}`, source })))
      .returning({ id: customers.id });
    const ids = rows.map((r) => r.id);
    for (const customerId of ids) {
      const r = await recordConsentEvent(
        h.db,
        {
          customerId,
          channel: 'whatsapp',
          purpose: 'marketing',
          kind: 'granted',
          occurredAt: new Date(Date.now() - 10 * DAY),
          source: 'web_form',
          evidence: { formVersion: 'checkout v3', wording: 'WhatsApp offers' },
        },
        null,
      );
      expect(r.ok).toBe(true);
    }
    const saved = await saveDraft(h.db, marketingDraft(`promo_${tag}`, { markets: [], source }), seller);
    const draftId = saved.ok ? saved.id : 0;
    await stepDraft(h.db, draftId, 'submit', seller);
    await stepDraft(h.db, draftId, 'approve', manager);
    const created = await createSendCampaign(h.db, draftId, seller, { phoneNumberId: PHONE_ID, ratePerSecond, queue: noQueue });
    expect(created).toMatchObject({ ok: true, recipientCount: n });
    return { campaignId: created.ok ? created.campaignId : 0, ids, phones, digits: phones.map((p) => p.slice(1)), draftId };
  }

  const recipients = (campaignId: number) =>
    h.db.select().from(campaignRecipients).where(eq(campaignRecipients.campaignId, campaignId)).orderBy(asc(campaignRecipients.position));
  const campaignRow = async (id: number) => (await h.db.select().from(campaigns).where(eq(campaigns.id, id)))[0]!;

  it('sends each eligible recipient once, records the message ids and completes the campaign', async () => {
    const { campaignId, digits } = await campaignOf(5);
    const meta = fakeSend();
    expect(await runSender(h.db, PHONE_ID, { send: meta.send })).toEqual({ state: 'idle' });
    expect(meta.calls.map((c) => c.to).sort()).toEqual([...digits].sort());
    const rows = await recipients(campaignId);
    expect(rows.every((r) => r.status === 'sent' && r.messageId?.startsWith('wamid.') && r.attempts === 1 && r.sentAt)).toBe(true);
    expect(await campaignRow(campaignId)).toMatchObject({ status: 'completed', kind: 'send' });
    // Run again: nothing is sent twice.
    await runSender(h.db, PHONE_ID, { send: meta.send });
    expect(meta.calls).toHaveLength(5);
  });

  it('refuses a draft with no eligible recipient, queuing nothing', async () => {
    tag++;
    const saved = await saveDraft(h.db, marketingDraft(`empty_${tag}`, { markets: [], source: `nobody-${tag}` }), seller);
    const id = saved.ok ? saved.id : 0;
    await stepDraft(h.db, id, 'submit', seller);
    await stepDraft(h.db, id, 'approve', manager);
    let queued = 0;
    const result = await createSendCampaign(h.db, id, seller, {
      phoneNumberId: PHONE_ID,
      ratePerSecond: null,
      queue: async () => void queued++,
    });
    expect(result).toEqual({ ok: false, refusal: 'no_recipients' });
    expect(queued).toBe(0);
    const left = await h.db.execute(sql`select count(*)::int as n from campaigns where draft_id = ${id}`);
    expect(rowsOf<{ n: number }>(left)[0]?.n).toBe(0);
  });

  it('skips a recipient who withdrew a second before their turn, with the reason', async () => {
    // 4 a second: one recipient per decision, a quarter of a second apart.
    const { campaignId, ids, digits } = await campaignOf(4, 'PL', 4);
    const meta = fakeSend({}, async (to) => {
      if (to !== digits[0]) return;
      const r = await recordConsentEvent(
        h.db,
        {
          customerId: ids[2]!,
          channel: 'whatsapp',
          purpose: 'marketing',
          kind: 'withdrawn',
          occurredAt: new Date(),
          source: 'support_call',
          evidence: { reason: 'called in' },
        },
        null,
      );
      expect(r.ok).toBe(true);
    });
    await runSender(h.db, PHONE_ID, { send: meta.send });
    expect(meta.calls.map((c) => c.to)).toEqual([digits[0], digits[1], digits[3]]);
    const rows = await recipients(campaignId);
    expect(rows.map((r) => [r.status, r.reason])).toEqual([
      ['sent', null],
      ['sent', null],
      ['skipped', 'withdrawn'],
      ['sent', null],
    ]);
  });

  it("turns each of Meta's answers into what it means", async () => {
    const { campaignId, ids, phones, digits } = await campaignOf(6);
    const meta = fakeSend({
      [digits[0]!]: error(131050, 400, 'Unable to deliver message'),
      [digits[1]!]: error(131026, 400, 'Message undeliverable'),
      [digits[2]!]: error(131049, 400, 'This message was not delivered to maintain healthy ecosystem engagement'),
      [digits[3]!]: (n) => (n === 1 ? error(130429, 400, 'Rate limit hit') : { ok: true, messageId: 'wamid.retried' }),
      [digits[4]!]: (n) => (n === 1 ? error(131000, 503, 'Service unavailable') : { ok: true, messageId: 'wamid.after5xx' }),
    });
    const before = Date.now();
    const result = await runSender(h.db, PHONE_ID, { send: meta.send });
    expect(result.state).toBe('later');
    const rows = await recipients(campaignId);
    expect(rows[0]).toMatchObject({ status: 'failed', reason: 'marketing_stopped', errorCode: 131050 });
    expect(rows[1]).toMatchObject({ status: 'failed', reason: 'undeliverable', errorCode: 131026 });
    expect(rows[2]).toMatchObject({ status: 'queued', limitDeferrals: 1, attempts: 1, errorCode: 131049 });
    expect(rows[2]!.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before + DAY - 1000);
    expect(rows[3]).toMatchObject({ status: 'queued', attempts: 1, errorCode: 130429 });
    expect(rows[3]!.nextAttemptAt.getTime()).toBeGreaterThan(before);
    expect(rows[4]).toMatchObject({ status: 'queued', attempts: 1 });
    expect(rows[5]).toMatchObject({ status: 'sent' });
    // 131050 is the customer's withdrawal of WhatsApp marketing, with Meta's error as its evidence, and suppresses the phone.
    const [state] = await h.db
      .select()
      .from(consentState)
      .where(and(eq(consentState.customerId, ids[0]!), eq(consentState.channel, 'whatsapp'), eq(consentState.purpose, 'marketing')));
    expect(state?.status).toBe('withdrawn');
    const [event] = await h.db
      .select()
      .from(consentEvents)
      .where(and(eq(consentEvents.customerId, ids[0]!), eq(consentEvents.kind, 'withdrawn')));
    expect(event).toMatchObject({ source: 'whatsapp_send_error' });
    expect(JSON.stringify(event?.evidence)).toContain('131050');
    const suppressed = await h.db.execute(
      sql`select count(*)::int as n from suppressions where channel = 'whatsapp' and purpose = 'marketing'`,
    );
    expect(rowsOf<{ n: number }>(suppressed)[0]?.n).toBeGreaterThan(0);
    expect(phones[0]).toBeTruthy();

    // The backoffs over: the rate-limited and 5xx recipients go, the deferred one waits its 24 h.
    await h.db.execute(
      sql`update campaign_recipients set next_attempt_at = now() where campaign_id = ${campaignId} and position in (4, 5)`,
    );
    await runSender(h.db, PHONE_ID, { send: meta.send });
    const after = await recipients(campaignId);
    expect(after.map((r) => r.status)).toEqual(['failed', 'failed', 'queued', 'sent', 'sent', 'sent']);
    expect(after[3]).toMatchObject({ messageId: 'wamid.retried', attempts: 2 });

    // A third 131049 after two deferrals fails the recipient.
    await h.db.execute(sql`update campaign_recipients set next_attempt_at = now() where campaign_id = ${campaignId} and position = 3`);
    await runSender(h.db, PHONE_ID, { send: meta.send });
    await h.db.execute(sql`update campaign_recipients set next_attempt_at = now() where campaign_id = ${campaignId} and position = 3`);
    await runSender(h.db, PHONE_ID, { send: meta.send });
    expect((await recipients(campaignId))[2]).toMatchObject({ status: 'failed', reason: 'user_limit', limitDeferrals: 2, attempts: 3 });
    expect(await campaignRow(campaignId)).toMatchObject({ status: 'completed' });
  });

  it('pauses the campaign when Meta refuses the token, and sends nothing more until resumed', async () => {
    const { campaignId, digits } = await campaignOf(3);
    let tokenValid = false;
    const meta = fakeSend(
      Object.fromEntries(
        digits.map((d) => [
          d,
          () => (tokenValid ? { ok: true, messageId: `wamid.ok.${d}` } : error(190, 401, 'Invalid OAuth access token')),
        ]),
      ),
    );
    expect(await runSender(h.db, PHONE_ID, { send: meta.send, concurrency: 1 })).toEqual({ state: 'idle' });
    expect(meta.calls).toHaveLength(1);
    expect(await campaignRow(campaignId)).toMatchObject({ status: 'paused', pausedReason: 'auth' });
    expect((await campaignRow(campaignId)).pausedDetail).toContain('190');
    expect((await recipients(campaignId)).map((r) => [r.status, r.attempts])).toEqual([
      ['queued', 0],
      ['queued', 0],
      ['queued', 0],
    ]);
    tokenValid = true;
    expect(await controlCampaign(h.db, campaignId, 'resume', seller, noQueue)).toEqual({ ok: false, refusal: 'role' });
    expect(await controlCampaign(h.db, campaignId, 'resume', manager, noQueue)).toEqual({ ok: true });
    await runSender(h.db, PHONE_ID, { send: meta.send });
    expect((await recipients(campaignId)).every((r) => r.status === 'sent')).toBe(true);
  });

  it('never sends again a recipient a dead worker left in flight, and a status webhook shows it went out', async () => {
    const { campaignId, digits } = await campaignOf(3);
    // A worker claimed the first recipient, called Meta, and died before recording the answer; its lease ran out.
    await h.db.execute(sql`update campaign_recipients set status = 'sending', attempted_at = now() - interval '1 minute', attempts = 1
      where campaign_id = ${campaignId} and position = 1`);
    await h.db.execute(sql`insert into campaign_send_leases values (${PHONE_ID}, 'dead-worker', now() - interval '1 second')`);
    const meta = fakeSend();
    await runSender(h.db, PHONE_ID, { send: meta.send });
    expect(meta.calls.map((c) => c.to)).toEqual([digits[1], digits[2]]);
    expect((await recipients(campaignId))[0]).toMatchObject({ status: 'failed', reason: 'interrupted' });
    const summary = await applyStatuses(h.db, [{ messageId: 'wamid.lost', status: 'delivered', at: new Date(), recipient: digits[0]! }]);
    expect(summary).toMatchObject({ updated: 1, unknown: 0 });
    expect((await recipients(campaignId))[0]).toMatchObject({ status: 'delivered', reason: null, messageId: 'wamid.lost' });
  });

  it('waits while another live worker holds the number', async () => {
    const { campaignId } = await campaignOf(1);
    await h.db.execute(sql`insert into campaign_send_leases values (${PHONE_ID}, 'alive', now() + interval '1 minute')
      on conflict (phone_number_id) do update set owner = 'alive', until = now() + interval '1 minute'`);
    const meta = fakeSend();
    expect(await runSender(h.db, PHONE_ID, { send: meta.send })).toEqual({ state: 'busy' });
    expect(meta.calls).toHaveLength(0);
    await h.db.execute(sql`delete from campaign_send_leases`);
    await runSender(h.db, PHONE_ID, { send: meta.send });
    expect((await recipients(campaignId))[0]?.status).toBe('sent');
  });

  it('keeps quiet hours in the market time zone and the frequency cap per customer', async () => {
    const { campaignId: quietId } = await campaignOf(2, 'PL');
    // Quiet all day in Poland (and only there): nothing goes, each recipient waits for the end.
    await writeSetting(
      h.db,
      'campaign_sending',
      { ...settingsOff, quietHoursByMarket: { PL: { start: '00:00', end: '23:59' } } },
      manager.id,
    );
    const meta = fakeSend();
    const result = await runSender(h.db, PHONE_ID, { send: meta.send });
    expect(meta.calls).toHaveLength(0);
    expect(result.state).toBe('later');
    const waiting = await recipients(quietId);
    expect(waiting.every((r) => r.status === 'queued' && r.nextAttemptAt.getTime() > Date.now() && r.attempts === 0)).toBe(true);
    await h.db.execute(sql`update campaigns set status = 'cancelled' where id = ${quietId}`);

    // Two marketing messages this week already: a third is skipped under a cap of 2.
    await writeSetting(h.db, 'campaign_sending', { ...settingsOff, frequencyCap: 2 }, manager.id);
    const first = await campaignOf(2);
    await runSender(h.db, PHONE_ID, { send: meta.send });
    await h.db.execute(sql`insert into campaign_recipients (campaign_id, position, customer_id, phone, status, sent_at)
      select ${quietId}, 100 + position, customer_id, phone, 'sent', now() - interval '2 days'
      from campaign_recipients where campaign_id = ${first.campaignId} and position = 1`);
    const tag2 = tag + 1;
    // A second draft to the same customers (same source): the first has had two messages in 7 days, the second one.
    tag = tag2;
    const saved = await saveDraft(h.db, marketingDraft(`promo_again_${tag2}`, { markets: [], source: `test-${tag2 - 1}` }), seller);
    const draftId = saved.ok ? saved.id : 0;
    await stepDraft(h.db, draftId, 'submit', seller);
    await stepDraft(h.db, draftId, 'approve', manager);
    const again = await createSendCampaign(h.db, draftId, seller, { phoneNumberId: PHONE_ID, ratePerSecond: 0, queue: noQueue });
    const againId = again.ok ? again.campaignId : 0;
    await runSender(h.db, PHONE_ID, { send: meta.send });
    expect((await recipients(againId)).map((r) => [r.status, r.reason])).toEqual([
      ['skipped', 'frequency_cap'],
      ['sent', null],
    ]);
    await writeSetting(h.db, 'campaign_sending', settingsOff, manager.id);
  });

  it('cancels: every recipient still queued is skipped, and the campaign sends no more', async () => {
    const { campaignId } = await campaignOf(3);
    expect(await controlCampaign(h.db, campaignId, 'pause', manager, noQueue)).toEqual({ ok: true });
    const meta = fakeSend();
    expect(await runSender(h.db, PHONE_ID, { send: meta.send })).toEqual({ state: 'idle' });
    expect(meta.calls).toHaveLength(0);
    expect(await controlCampaign(h.db, campaignId, 'cancel', manager, noQueue)).toEqual({ ok: true });
    expect((await recipients(campaignId)).map((r) => [r.status, r.reason])).toEqual([
      ['skipped', 'cancelled'],
      ['skipped', 'cancelled'],
      ['skipped', 'cancelled'],
    ]);
    expect(await controlCampaign(h.db, campaignId, 'resume', manager, noQueue)).toEqual({ ok: false, refusal: 'status' });
    const audit = await h.db.execute(
      sql`select action from audit_log where entity = 'campaign' and entity_id = ${String(campaignId)} order by id`,
    );
    expect(rowsOf<{ action: string }>(audit).map((r) => r.action)).toEqual(['campaign.pause', 'campaign.cancel']);
  });

  it('applies statuses idempotently and in any order; a failed status with 131050 withdraws', async () => {
    const { campaignId, ids, digits } = await campaignOf(2);
    await runSender(h.db, PHONE_ID, { send: fakeSend().send });
    const [a, b] = await recipients(campaignId);
    const t = Date.now();
    const statuses = [
      { messageId: a!.messageId!, status: 'read' as const, at: new Date(t + 2000), recipient: digits[0]! },
      { messageId: a!.messageId!, status: 'delivered' as const, at: new Date(t + 1000), recipient: digits[0]! },
      {
        messageId: b!.messageId!,
        status: 'failed' as const,
        at: new Date(t + 1000),
        recipient: digits[1]!,
        errors: [{ code: 131050, title: 'Unable to deliver message' }],
      },
      { messageId: 'wamid.someone-else', status: 'sent' as const, at: new Date(t), recipient: '4900000000' },
    ];
    expect(await applyStatuses(h.db, statuses)).toMatchObject({ updated: 2, unknown: 1, withdrawn: 1 });
    expect(await applyStatuses(h.db, statuses)).toMatchObject({ updated: 2, unknown: 1, withdrawn: 0 });
    const [ra, rb] = await recipients(campaignId);
    expect(ra).toMatchObject({ status: 'read', deliveredAt: new Date(t + 1000), readAt: new Date(t + 2000) });
    expect(rb).toMatchObject({ status: 'failed', reason: 'marketing_stopped', errorCode: 131050 });
    const [state] = await h.db
      .select()
      .from(consentState)
      .where(and(eq(consentState.customerId, ids[1]!), eq(consentState.channel, 'whatsapp'), eq(consentState.purpose, 'marketing')));
    expect(state?.status).toBe('withdrawn');

    // The page: a message read was delivered and sent, so it counts and filters under each of them.
    const detail = (await campaignDetail(h.db, campaignId))!;
    expect(detail.counts).toMatchObject({ sent: 0, delivered: 0, read: 1, failed: 1 });
    expect(['sent', 'delivered', 'read', 'failed'].map((s) => reachedCount(detail.counts, s as RecipientStatus))).toEqual([1, 1, 1, 1]);
    for (const status of ['sent', 'delivered', 'read'] as const) {
      expect((await recipientsPage(h.db, campaignId, { status }, 10)).map((r) => r.position)).toEqual([a!.position]);
    }
    expect((await recipientsPage(h.db, campaignId, { status: 'failed' }, 10)).map((r) => r.position)).toEqual([b!.position]);
  });

  it('rates a sent campaign exactly: its delivered recipients who opted out within 7 days of their message', async () => {
    const { campaignId, ids, digits } = await campaignOf(4);
    await runSender(h.db, PHONE_ID, { send: fakeSend().send });
    const rows = await recipients(campaignId);
    const at = new Date();
    // Three delivered, one never; of the delivered, one opts out (by a support call) and one only after 8 days.
    await applyStatuses(
      h.db,
      rows.slice(0, 3).map((r, i) => ({ messageId: r.messageId!, status: 'delivered' as const, at, recipient: digits[i]! })),
    );
    const withdraw = async (customerId: number, occurredAt: Date) =>
      expect(
        (
          await recordConsentEvent(
            h.db,
            {
              customerId,
              channel: 'whatsapp',
              purpose: 'marketing',
              kind: 'withdrawn',
              occurredAt,
              source: 'support_call',
              evidence: { reason: 'no more' },
            },
            null,
          )
        ).ok,
      ).toBe(true);
    await withdraw(ids[0]!, new Date(Date.now() + 1000));
    await withdraw(ids[3]!, new Date(Date.now() + 1000));
    await h.db.execute(
      sql`update campaign_recipients set sent_at = now() - interval '8 days' where campaign_id = ${campaignId} and position = 2`,
    );
    await withdraw(ids[1]!, new Date(Date.now() + 1000));
    const day = new Date().toISOString().slice(0, 10);
    const rated = (await campaignRates({ from: day, to: day, market: [] }, h.db, 100)).find((c) => c.id === campaignId);
    expect(rated).toMatchObject({ kind: 'send', recipients: 3, optOuts: 1 });
    expect(rated?.rate).toBeCloseTo(1 / 3);
  });
});
