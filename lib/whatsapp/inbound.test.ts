import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { DbHandle } from '@/db';
import { auditLog, consentEvents, consentState, customers, optOutsDaily, replyReviews, suppressions, users } from '@/db/schema';
import { createTestDb, testDrivers } from '@/db/testing';
import { contactHash } from '@/lib/suppressions';
import { writeSetting } from '@/lib/settings/app-settings';
import { recordConsentEvents } from '@/lib/consent-store/record';
import { applyInbound, applyInboundPosts, RESUME_SIGNAL_ACTION } from './inbound';
import { inboundQueue } from './inbound-queue';
import { parseWebhook } from './payload';
import { inboundMessage, userPreference } from './samples';

const at = (iso: string) => new Date(iso);

function intentsOf(body: unknown) {
  const parsed = parseWebhook(body);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.intents;
}

describe.each(testDrivers())('WhatsApp inbound on %s', (driver) => {
  let h: DbHandle;
  let n = 0;
  beforeAll(async () => {
    h = await createTestDb(driver);
  });
  afterAll(async () => h?.close());

  async function customer(): Promise<{ id: number; phone: string }> {
    const phone = `+4915100000${String(++n).padStart(3, '0')}`;
    const [c] = await h.db.insert(customers).values({ market: 'DE', phone, source: 'test' }).returning({ id: customers.id });
    return { id: c!.id, phone };
  }
  const states = async (customerId: number) =>
    Object.fromEntries(
      (
        await h.db
          .select()
          .from(consentState)
          .where(and(eq(consentState.customerId, customerId), eq(consentState.channel, 'whatsapp')))
      ).map((s) => [s.purpose, s.status]),
    );
  const eventCount = (customerId: number) => h.db.$count(consentEvents, eq(consentEvents.customerId, customerId));

  it('withdraws every WhatsApp purpose on STOP, with the message as evidence', async () => {
    const c = await customer();
    const summary = await applyInbound(
      h.db,
      intentsOf(inboundMessage(c.phone, { type: 'text', text: 'Stop' }, { id: 'wamid.S1', at: at('2026-03-01T10:00:00Z') })),
    );
    expect(summary).toEqual({ recorded: 2, duplicates: 0, suppressed: 0, skipped: 0 });
    expect(await states(c.id)).toEqual({ marketing: 'withdrawn', transactional: 'withdrawn' });
    const [event] = await h.db.select().from(consentEvents).where(eq(consentEvents.customerId, c.id)).limit(1);
    expect(event).toMatchObject({
      source: 'whatsapp_keyword',
      kind: 'withdrawn',
      occurredAt: at('2026-03-01T10:00:00Z'),
      evidence: { messageId: 'wamid.S1', wording: 'Stop' },
    });
  });

  it('changes nothing for the same wamid twice', async () => {
    const c = await customer();
    const body = inboundMessage(c.phone, { type: 'text', text: 'STOP' }, { id: 'wamid.D1', at: at('2026-03-02T10:00:00Z') });
    await applyInbound(h.db, intentsOf(body));
    const events = await eventCount(c.id);
    const second = await applyInbound(h.db, intentsOf(body));
    expect(second).toEqual({ recorded: 0, duplicates: 2, suppressed: 0, skipped: 0 });
    expect(await eventCount(c.id)).toBe(events);
  });

  it('ends right when START and STOP arrive out of order', async () => {
    const c = await customer();
    const stop = inboundMessage(c.phone, { type: 'text', text: 'STOP' }, { id: 'wamid.O2', at: at('2026-03-03T12:00:00Z') });
    const start = inboundMessage(c.phone, { type: 'text', text: 'START' }, { id: 'wamid.O1', at: at('2026-03-03T11:00:00Z') });
    await applyInbound(h.db, intentsOf(stop));
    await applyInbound(h.db, intentsOf(start));
    expect((await states(c.id)).transactional).toBe('withdrawn');

    const d = await customer();
    const laterStart = inboundMessage(d.phone, { type: 'text', text: 'start' }, { id: 'wamid.O4', at: at('2026-03-03T12:00:00Z') });
    const earlierStop = inboundMessage(d.phone, { type: 'text', text: 'stop' }, { id: 'wamid.O3', at: at('2026-03-03T11:00:00Z') });
    await applyInbound(h.db, intentsOf(laterStart));
    await applyInbound(h.db, intentsOf(earlierStop));
    expect(await states(d.id)).toEqual({ transactional: 'granted', marketing: 'withdrawn' });
  });

  it('reads the marketing messages setting, once per change; a resume without earlier consent is no consent', async () => {
    const c = await customer();
    const stop = userPreference(c.phone, 'stop', at('2026-03-04T10:00:00Z'));
    expect(await applyInbound(h.db, intentsOf(stop))).toMatchObject({ recorded: 1 });
    expect(await applyInbound(h.db, intentsOf(stop))).toMatchObject({ recorded: 0, duplicates: 1 });
    expect(await states(c.id)).toEqual({ marketing: 'withdrawn' });
    const resume = userPreference(c.phone, 'resume', at('2026-03-05T10:00:00Z'));
    expect(await applyInbound(h.db, intentsOf(resume))).toEqual({ recorded: 0, duplicates: 0, suppressed: 0, skipped: 1 });
    expect(await states(c.id)).toEqual({ marketing: 'withdrawn' });
    // Recorded as a signal in the audit log, once, however often Meta sends it.
    expect(await applyInbound(h.db, intentsOf(resume))).toEqual({ recorded: 0, duplicates: 1, suppressed: 0, skipped: 0 });
    const signals = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, String(c.id)), eq(auditLog.action, RESUME_SIGNAL_ACTION)));
    expect(signals).toMatchObject([
      { entity: 'customer', actorId: null, after: { channel: 'whatsapp', purpose: 'marketing', occurredAt: '2026-03-05T10:00:00.000Z' } },
    ]);
  });

  it('keeps an unknown sender as a suppressed contact point', async () => {
    const phone = '+33612345678';
    const summary = await applyInbound(
      h.db,
      intentsOf(inboundMessage(phone, { type: 'text', text: 'Arrêt' }, { id: 'wamid.U1', at: at('2026-03-05T10:00:00Z') })),
    );
    expect(summary).toEqual({ recorded: 0, duplicates: 0, suppressed: 1, skipped: 0 });
    const rows = await h.db
      .select()
      .from(suppressions)
      .where(eq(suppressions.valueHash, contactHash('phone', phone)));
    expect(rows).toMatchObject([{ kind: 'phone', channel: 'whatsapp', source: 'whatsapp_keyword' }]);
  });

  it('withdraws marketing only when the seller says so', async () => {
    const [admin] = await h.db
      .insert(users)
      .values({ email: 'a@x.test', name: 'A', role: 'admin', passwordHash: 'x' })
      .returning({ id: users.id });
    await writeSetting(h.db, 'whatsapp_stop_scope', 'marketing', admin!.id);
    const c = await customer();
    await applyInbound(
      h.db,
      intentsOf(inboundMessage(c.phone, { type: 'text', text: 'STOP' }, { id: 'wamid.M1', at: at('2026-03-06T10:00:00Z') })),
    );
    expect(await states(c.id)).toEqual({ marketing: 'withdrawn' });
    await writeSetting(h.db, 'whatsapp_stop_scope', 'all', admin!.id);
  });

  it('counts a STOP of both purposes as one opt-out on the monitor', async () => {
    const c = await customer();
    const day = '2026-03-07';
    await applyInbound(
      h.db,
      intentsOf(inboundMessage(c.phone, { type: 'text', text: 'STOP' }, { id: 'wamid.C1', at: at(`${day}T10:00:00Z`) })),
    );
    const [row] = await h.db
      .select()
      .from(optOutsDaily)
      .where(and(eq(optOutsDaily.day, day), eq(optOutsDaily.source, 'whatsapp_keyword')));
    expect(row).toMatchObject({ market: 'DE', channel: 'whatsapp', n: 1 });
  });

  it('writes nothing of a POST when one of its messages fails', async () => {
    const c = await customer();
    const d = await customer();
    const good = intentsOf(inboundMessage(c.phone, { type: 'text', text: 'STOP' }, { id: 'wamid.F1', at: at('2026-03-08T10:00:00Z') }));
    const bad = intentsOf(inboundMessage(d.phone, { type: 'text', text: 'STOP' }, { id: 'wamid.F2', at: at('2026-03-08T10:00:00Z') }));
    // The database refuses the second message half-way through the POST.
    await h.db.execute(sql`alter table consent_events add constraint zz_fail check (customer_id <> ${sql.raw(String(d.id))}) not valid`);
    await expect(applyInbound(h.db, [...good, ...bad])).rejects.toThrow();
    await h.db.execute(sql`alter table consent_events drop constraint zz_fail`);
    expect(await eventCount(c.id)).toBe(0);
    expect(await eventCount(d.id)).toBe(0);
  });

  it('records several POSTs together with a summary each, the same wamid in two of them once', async () => {
    const c = await customer();
    const d = await customer();
    const stop = inboundMessage(c.phone, { type: 'text', text: 'STOP' }, { id: 'wamid.B1', at: at('2026-03-09T10:00:00Z') });
    const summaries = await applyInboundPosts(h.db, [
      intentsOf(stop),
      intentsOf(inboundMessage(d.phone, { type: 'text', text: 'START' }, { id: 'wamid.B2', at: at('2026-03-09T10:00:00Z') })),
      intentsOf(stop),
      intentsOf(inboundMessage('+48600999888', { type: 'text', text: 'STOP' }, { id: 'wamid.B3', at: at('2026-03-09T10:00:00Z') })),
      intentsOf(inboundMessage(d.phone, { type: 'text', text: 'STOP' }, { id: 'wamid.B4', at: new Date(Date.now() + 86_400_000) })),
    ]);
    expect(summaries).toEqual([
      { recorded: 2, duplicates: 0, suppressed: 0, skipped: 0 },
      { recorded: 1, duplicates: 0, suppressed: 0, skipped: 0 },
      { recorded: 0, duplicates: 2, suppressed: 0, skipped: 0 },
      { recorded: 0, duplicates: 0, suppressed: 1, skipped: 0 },
      { recorded: 0, duplicates: 0, suppressed: 0, skipped: 2 },
    ]);
    expect(await eventCount(c.id)).toBe(2);
    expect(await states(c.id)).toEqual({ marketing: 'withdrawn', transactional: 'withdrawn' });
    expect(await states(d.id)).toEqual({ transactional: 'granted' });
  });

  it('writes POSTs that wait together, and one the database refuses fails alone', async () => {
    const write = inboundQueue(async () => h.db);
    const [a, b, c] = [await customer(), await customer(), await customer()];
    const stop = (phone: string, id: string) =>
      intentsOf(inboundMessage(phone, { type: 'text', text: 'STOP' }, { id, at: at('2026-03-10T10:00:00Z') }));
    await h.db.execute(sql`alter table consent_events add constraint zz_fail check (customer_id <> ${sql.raw(String(b.id))}) not valid`);
    try {
      const results = await Promise.allSettled([
        write(stop(a.phone, 'wamid.Q1')),
        write(stop(b.phone, 'wamid.Q2')),
        write(stop(c.phone, 'wamid.Q3')),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(results[2]).toMatchObject({ value: { recorded: 2 } });
    } finally {
      await h.db.execute(sql`alter table consent_events drop constraint zz_fail`);
    }
    expect([await eventCount(a.id), await eventCount(b.id), await eventCount(c.id)]).toEqual([2, 0, 2]);
  });

  it('audits each message of a batch for what it changed, STOP then START in one POST', async () => {
    const c = await customer();
    // One POST carrying both messages.
    const intents = [
      ...intentsOf(inboundMessage(c.phone, { type: 'text', text: 'STOP' }, { id: 'wamid.A1', at: at('2026-03-11T10:00:00Z') })),
      ...intentsOf(inboundMessage(c.phone, { type: 'text', text: 'START' }, { id: 'wamid.A2', at: at('2026-03-11T10:05:00Z') })),
    ];
    expect(await applyInbound(h.db, intents)).toMatchObject({ recorded: 3 });
    const entries = await h.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.entityId, String(c.id)))
      .orderBy(asc(auditLog.id));
    expect(entries.map((e) => [e.action, e.before, (e.after as { status: string }).status])).toEqual([
      ['consent.withdrawn', { channel: 'whatsapp', purpose: 'marketing', status: 'unknown' }, 'withdrawn'],
      ['consent.withdrawn', { channel: 'whatsapp', purpose: 'transactional', status: 'unknown' }, 'withdrawn'],
      ['consent.granted', { channel: 'whatsapp', purpose: 'transactional', status: 'withdrawn' }, 'granted'],
    ]);
    expect(await states(c.id)).toEqual({ marketing: 'withdrawn', transactional: 'granted' });
  });

  it('refuses a whole batch at once when the database itself fails, and hangs no POST when it cannot be opened', async () => {
    const gone = Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' });
    const unreachable = inboundQueue(async () => Promise.reject(gone));
    const stop = (n: number) =>
      intentsOf(inboundMessage('+4915100999000', { type: 'text', text: 'STOP' }, { id: `wamid.G${n}`, at: at('2026-03-12T10:00:00Z') }));
    const results = await Promise.allSettled([unreachable(stop(1)), unreachable(stop(2)), unreachable(stop(3))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);

    // A lock held too long (55P03) fails the batch as a whole too: every POST gets the error, none is retried alone.
    let calls = 0;
    const busy = inboundQueue(async () => {
      calls++;
      throw Object.assign(new Error('lock timeout'), { code: '55P03' });
    });
    const busyResults = await Promise.allSettled([busy(stop(4)), busy(stop(5)), busy(stop(6))]);
    expect(busyResults.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(calls).toBe(2);
  });

  it('withdraws every record holding a phone, in a batch of POSTs, and suppresses each phone for what its stop withdrew', async () => {
    // Two shops' records of one person each, the numbers written differently in their exports and stored as E.164.
    const pair = async (first: string, second: string) => {
      const rows = await h.db
        .insert(customers)
        .values([
          { market: 'PL', phone: first, firstName: 'Ola', source: 'shop_a' },
          { market: 'PL', phone: second, firstName: 'Aleksandra', source: 'shop_b' },
        ])
        .returning({ id: customers.id });
      return rows.map((r) => r.id);
    };
    const stopped = await pair('+48600555111', '+48600555111');
    const paused = await pair('+48600555222', '+48600555222');
    const summaries = await applyInboundPosts(h.db, [
      intentsOf(inboundMessage('+48600555111', { type: 'text', text: 'Stop' }, { id: 'wamid.P1', at: at('2026-03-13T10:00:00Z') })),
      intentsOf(userPreference('+48600555222', 'stop', at('2026-03-13T10:00:00Z'))),
      intentsOf(inboundMessage('+48600555333', { type: 'text', text: 'STOP' }, { id: 'wamid.P3', at: at('2026-03-13T10:00:00Z') })),
      intentsOf(inboundMessage('+48600555111', { type: 'text', text: 'STOP' }, { id: 'wamid.P4', at: at('2026-03-13T10:01:00Z') })),
    ]);
    expect(summaries).toEqual([
      { recorded: 4, duplicates: 0, suppressed: 0, skipped: 0 },
      { recorded: 2, duplicates: 0, suppressed: 0, skipped: 0 },
      { recorded: 0, duplicates: 0, suppressed: 1, skipped: 0 },
      { recorded: 4, duplicates: 0, suppressed: 0, skipped: 0 },
    ]);
    for (const id of stopped) expect(await states(id)).toEqual({ marketing: 'withdrawn', transactional: 'withdrawn' });
    for (const id of paused) expect(await states(id)).toEqual({ marketing: 'withdrawn' });
    const suppressed = async (phone: string) =>
      (
        await h.db
          .select()
          .from(suppressions)
          .where(eq(suppressions.valueHash, contactHash('phone', phone)))
      ).map((r) => [r.channel, r.purpose, r.source]);
    expect(await suppressed('+48600555111')).toEqual([['whatsapp', null, 'whatsapp_keyword']]);
    expect(await suppressed('+48600555222')).toEqual([['whatsapp', 'marketing', 'whatsapp_setting']]);
    expect(await suppressed('+48600555333')).toEqual([['whatsapp', null, 'whatsapp_keyword']]);
    const [event] = await h.db.select().from(consentEvents).where(eq(consentEvents.customerId, stopped[1]!)).limit(1);
    expect(event?.evidence).toMatchObject({ messageId: 'wamid.P1', contactPoint: 'phone' });
  });

  const grantMarketing = async (
    customerId: number,
    iso: string,
    evidence = { wording: 'Ja, ich möchte Angebote per WhatsApp erhalten.', formVersion: 'checkout-2026-01' },
  ) =>
    expect(
      await recordConsentEvents(
        h.db,
        [{ customerId, channel: 'whatsapp', purpose: 'marketing', kind: 'granted', occurredAt: at(iso), source: 'checkout', evidence }],
        null,
      ),
    ).toMatchObject({ ok: true });

  it('withdraws marketing only on "Stop promotions", even when STOP withdraws every purpose', async () => {
    const c = await customer();
    await grantMarketing(c.id, '2026-04-01T09:00:00Z');
    await applyInbound(
      h.db,
      intentsOf(inboundMessage(c.phone, { type: 'text', text: 'START' }, { id: 'wamid.SP0', at: at('2026-04-01T09:30:00Z') })),
    );
    const summary = await applyInbound(
      h.db,
      intentsOf(inboundMessage(c.phone, { type: 'button', text: 'Stop promotions' }, { id: 'wamid.SP1', at: at('2026-04-01T10:00:00Z') })),
    );
    expect(summary).toEqual({ recorded: 1, duplicates: 0, suppressed: 0, skipped: 0 });
    expect(await states(c.id)).toEqual({ marketing: 'withdrawn', transactional: 'granted' });
    const d = await customer();
    await applyInbound(
      h.db,
      intentsOf(
        inboundMessage(
          d.phone,
          { type: 'interactive', title: 'Werbung stoppen', id: 'stop_promotions' },
          { id: 'wamid.SP2', at: at('2026-04-01T10:00:00Z') },
        ),
      ),
    );
    expect(await states(d.id)).toEqual({ marketing: 'withdrawn' });
  });

  it('records nothing for a yes-word after STOP', async () => {
    const c = await customer();
    await applyInbound(
      h.db,
      intentsOf(inboundMessage(c.phone, { type: 'text', text: 'STOP' }, { id: 'wamid.Y1', at: at('2026-04-02T10:00:00Z') })),
    );
    const before = await eventCount(c.id);
    for (const [n, word] of ['TAK', 'Ja', 'Oui', 'Sí', 'Yes'].entries()) {
      const summary = await applyInbound(
        h.db,
        intentsOf(inboundMessage(c.phone, { type: 'text', text: word }, { id: `wamid.Y2${n}`, at: at('2026-04-02T11:00:00Z') })),
      );
      expect(summary).toEqual({ recorded: 0, duplicates: 0, suppressed: 0, skipped: 0 });
    }
    expect(await eventCount(c.id)).toBe(before);
    expect(await states(c.id)).toEqual({ marketing: 'withdrawn', transactional: 'withdrawn' });
  });

  it('grants transactional messages again on START after STOP, marketing stays withdrawn', async () => {
    const c = await customer();
    await grantMarketing(c.id, '2026-04-03T09:00:00Z');
    await applyInbound(
      h.db,
      intentsOf(inboundMessage(c.phone, { type: 'text', text: 'Stop!' }, { id: 'wamid.ST1', at: at('2026-04-03T10:00:00Z') })),
    );
    expect(
      await applyInbound(
        h.db,
        intentsOf(inboundMessage(c.phone, { type: 'button', text: 'START' }, { id: 'wamid.ST2', at: at('2026-04-03T11:00:00Z') })),
      ),
    ).toMatchObject({ recorded: 1 });
    expect(await states(c.id)).toEqual({ marketing: 'withdrawn', transactional: 'granted' });
    const [grant] = await h.db
      .select()
      .from(consentEvents)
      .where(and(eq(consentEvents.customerId, c.id), eq(consentEvents.kind, 'granted'), eq(consentEvents.purpose, 'transactional')));
    expect(grant).toMatchObject({ source: 'whatsapp_keyword', evidence: { messageId: 'wamid.ST2', wording: 'START' } });
  });

  it("resumes the consent the setting paused, with the earlier grant's evidence", async () => {
    const c = await customer();
    await grantMarketing(c.id, '2026-04-04T09:00:00Z');
    const [original] = await h.db.select({ id: consentEvents.id }).from(consentEvents).where(eq(consentEvents.customerId, c.id));
    await applyInbound(h.db, intentsOf(userPreference(c.phone, 'stop', at('2026-04-04T10:00:00Z'))));
    expect(await states(c.id)).toEqual({ marketing: 'withdrawn' });
    // Stop and resume in one batch: the resume sees the stop written just before it.
    const d = await customer();
    await grantMarketing(d.id, '2026-04-04T09:00:00Z');
    const summaries = await applyInboundPosts(h.db, [
      intentsOf(userPreference(c.phone, 'resume', at('2026-04-05T10:00:00Z'))),
      intentsOf(userPreference(d.phone, 'stop', at('2026-04-05T10:00:00Z'))),
      intentsOf(userPreference(d.phone, 'resume', at('2026-04-05T11:00:00Z'))),
    ]);
    expect(summaries).toEqual([
      { recorded: 1, duplicates: 0, suppressed: 0, skipped: 0 },
      { recorded: 1, duplicates: 0, suppressed: 0, skipped: 0 },
      { recorded: 1, duplicates: 0, suppressed: 0, skipped: 0 },
    ]);
    expect(await states(c.id)).toEqual({ marketing: 'granted' });
    expect(await states(d.id)).toEqual({ marketing: 'granted' });
    const [restored] = await h.db
      .select()
      .from(consentEvents)
      .where(and(eq(consentEvents.customerId, c.id), eq(consentEvents.source, 'whatsapp_setting'), eq(consentEvents.kind, 'granted')));
    expect(restored!.evidence).toMatchObject({
      wording: 'Ja, ich möchte Angebote per WhatsApp erhalten.',
      formVersion: 'checkout-2026-01',
    });
    expect(restored!.evidence.proofReference).toContain(`ledger event ${original!.id}`);
    // A second pause and resume resumes the same consent again.
    await applyInbound(h.db, intentsOf(userPreference(c.phone, 'stop', at('2026-04-06T10:00:00Z'))));
    await applyInbound(h.db, intentsOf(userPreference(c.phone, 'resume', at('2026-04-07T10:00:00Z'))));
    expect(await states(c.id)).toEqual({ marketing: 'granted' });
  });

  it('resumes nothing when the customer withdrew in another way, after or before the setting stop', async () => {
    // STOP by keyword after the setting's stop: the customer's last word is a withdrawal.
    const c = await customer();
    await grantMarketing(c.id, '2026-04-08T09:00:00Z');
    await applyInbound(h.db, intentsOf(userPreference(c.phone, 'stop', at('2026-04-08T10:00:00Z'))));
    await applyInbound(
      h.db,
      intentsOf(inboundMessage(c.phone, { type: 'text', text: 'STOP' }, { id: 'wamid.RN1', at: at('2026-04-08T11:00:00Z') })),
    );
    await applyInbound(h.db, intentsOf(userPreference(c.phone, 'resume', at('2026-04-08T12:00:00Z'))));
    expect((await states(c.id)).marketing).toBe('withdrawn');
    // STOP by keyword before the setting's stop.
    const d = await customer();
    await grantMarketing(d.id, '2026-04-08T09:00:00Z');
    await applyInbound(
      h.db,
      intentsOf(inboundMessage(d.phone, { type: 'text', text: 'STOP' }, { id: 'wamid.RN2', at: at('2026-04-08T09:30:00Z') })),
    );
    await applyInbound(h.db, intentsOf(userPreference(d.phone, 'stop', at('2026-04-08T10:00:00Z'))));
    expect(await applyInbound(h.db, intentsOf(userPreference(d.phone, 'resume', at('2026-04-08T12:00:00Z'))))).toMatchObject({
      recorded: 0,
      skipped: 1,
    });
    expect((await states(d.id)).marketing).toBe('withdrawn');
  });

  it('queues a reply that reads like an objection once, even when Meta retries the POST', async () => {
    const c = await customer();
    const body = inboundMessage(
      c.phone,
      { type: 'text', text: 'Bitte keine Werbung mehr!' },
      { id: 'wamid.RV1', at: at('2026-04-09T10:00:00Z') },
    );
    expect(await applyInbound(h.db, intentsOf(body))).toEqual({ recorded: 0, duplicates: 0, suppressed: 0, skipped: 0, queued: 1 });
    expect(await applyInbound(h.db, intentsOf(body))).toEqual({ recorded: 0, duplicates: 1, suppressed: 0, skipped: 0, queued: 0 });
    // The same wamid twice in one batch of the queue.
    const write = inboundQueue(async () => h.db);
    const again = inboundMessage(
      c.phone,
      { type: 'text', text: 'Woher haben Sie meine Nummer?' },
      { id: 'wamid.RV2', at: at('2026-04-09T10:05:00Z') },
    );
    const results = await Promise.all([write(intentsOf(again)), write(intentsOf(again)), write(intentsOf(again))]);
    expect(results.reduce((n, r) => n + (r.queued ?? 0), 0)).toBe(1);
    const rows = await h.db.select().from(replyReviews).where(eq(replyReviews.phone, c.phone)).orderBy(asc(replyReviews.id));
    expect(rows).toMatchObject([
      {
        messageId: 'wamid.RV1',
        text: 'Bitte keine Werbung mehr!',
        cue: 'keine Werbung',
        status: 'open',
        receivedAt: at('2026-04-09T10:00:00Z'),
        decision: null,
      },
      { messageId: 'wamid.RV2', cue: 'Woher haben Sie meine Nummer', status: 'open' },
    ]);
    // Nothing withdrawn: a person decides.
    expect(await eventCount(c.id)).toBe(0);
  });

  it('queues a voice message for a person to listen to, once', async () => {
    const c = await customer();
    const body = inboundMessage(c.phone, { type: 'audio' }, { id: 'wamid.VM1', at: at('2026-04-09T10:30:00Z') });
    expect(await applyInbound(h.db, intentsOf(body))).toEqual({ recorded: 0, duplicates: 0, suppressed: 0, skipped: 0, queued: 1 });
    expect(await applyInbound(h.db, intentsOf(body))).toMatchObject({ recorded: 0, duplicates: 1, queued: 0 });
    const [row] = await h.db.select().from(replyReviews).where(eq(replyReviews.messageId, 'wamid.VM1'));
    expect(row).toMatchObject({ text: '', cue: '', status: 'open' });
    expect(await eventCount(c.id)).toBe(0);
  });

  it("queues a reply to review from a phone that is nobody's, without suppressing it", async () => {
    const phone = '+48601234999';
    const summary = await applyInbound(
      h.db,
      intentsOf(
        inboundMessage(phone, { type: 'text', text: 'Skąd macie mój numer?' }, { id: 'wamid.RV3', at: at('2026-04-09T11:00:00Z') }),
      ),
    );
    expect(summary).toEqual({ recorded: 0, duplicates: 0, suppressed: 0, skipped: 0, queued: 1 });
    expect(await h.db.$count(replyReviews, eq(replyReviews.phone, phone))).toBe(1);
    expect(await h.db.$count(suppressions, eq(suppressions.valueHash, contactHash('phone', phone)))).toBe(0);
  });
});
