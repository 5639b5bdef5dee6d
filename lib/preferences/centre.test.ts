import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { DbHandle } from '@/db';
import { consentEvents, consentEvidencePersonal, consentState, customers, suppressions } from '@/db/schema';
import { createTestDb, testDrivers } from '@/db/testing';
import type { Channel, Purpose } from '@/lib/consent';
import { ensureDefaultPolicies } from '@/lib/consent-store/policies';
import { recordConsentEvent } from '@/lib/consent-store/record';
import { contactHash } from '@/lib/suppressions';
import { startTestSmtp } from '@/lib/mail/test-server';
import { confirmByLink, createConfirmation } from '@/lib/opt-in/confirm';
import { requestGrantConfirmation, shopNameFor } from './confirm';
import { PREFERENCE_SOURCE, UNSUBSCRIBE_SOURCE, grantPreference, preferenceView, unsubscribeEmail, withdrawPreference } from './centre';

const DAY = 86_400_000;
const ctx = { pageVersion: 'preferences-pl-test', ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (iPhone) Mobile/15E148' };

describe.each(testDrivers())('preference centre, on %s', (driver) => {
  let h: DbHandle;
  const earlier = new Date(Date.now() - 10 * DAY);
  let n = 0;

  beforeAll(async () => {
    h = await createTestDb(driver);
    await ensureDefaultPolicies(h.db);
  });
  afterAll(async () => h?.close());

  async function customer(fields: { market: string; email?: string | null; phone?: string | null; language?: string }): Promise<number> {
    n += 1;
    const [c] = await h.db
      .insert(customers)
      .values({
        firstName: 'Anna',
        market: fields.market,
        email: fields.email === undefined ? `anna.kowalska.${n}@poczta.example` : fields.email,
        phone: fields.phone === undefined ? `+4860012${String(n).padStart(4, '0')}` : fields.phone,
        language: fields.language ?? null,
        source: 'shop_export',
      })
      .returning({ id: customers.id });
    return c!.id;
  }

  async function grant(customerId: number, channel: Channel, purpose: Purpose) {
    const r = await recordConsentEvent(
      h.db,
      {
        customerId,
        channel,
        purpose,
        kind: 'granted',
        occurredAt: earlier,
        source: 'web_form',
        evidence: { formVersion: 'checkout v3', wording: 'Chcę otrzymywać newsletter' },
      },
      null,
    );
    expect(r.ok).toBe(true);
  }

  const eventsOf = (customerId: number) =>
    h.db.select().from(consentEvents).where(eq(consentEvents.customerId, customerId)).orderBy(consentEvents.id);

  /** The event's evidence as a whole: the ledger's, with the identifying part (IP, user agent) kept beside it. */
  const evidenceOf = async (event: { id: number; evidence: object }) => {
    const [personal] = await h.db.select().from(consentEvidencePersonal).where(eq(consentEvidencePersonal.eventId, event.id));
    return { ...event.evidence, ...(personal?.evidence ?? {}) };
  };

  const stateOf = async (customerId: number, channel: Channel, purpose: Purpose) =>
    (
      await h.db
        .select({ status: consentState.status })
        .from(consentState)
        .where(and(eq(consentState.customerId, customerId), eq(consentState.channel, channel), eq(consentState.purpose, purpose)))
    )[0]?.status ?? 'unknown';

  const itemOf = async (customerId: number, channel: Channel, purpose: Purpose) =>
    (await preferenceView(h.db, customerId))!.items.find((i) => i.channel === channel && i.purpose === purpose)!;

  it('shows the channels of the contact points held, masked, with what applies now', async () => {
    const id = await customer({ market: 'PL', email: 'anna.kowalska@gmail.com', phone: '+48600123456' });
    await grant(id, 'email', 'marketing');
    const view = (await preferenceView(h.db, id))!;
    expect(view.email).toBe('a•••a@g•••.com');
    expect(view.phone).not.toContain('600123');
    expect(view.phone!.endsWith('56')).toBe(true);
    expect(view.items.map((i) => `${i.channel}:${i.purpose}:${i.shown}`)).toEqual([
      'email:marketing:on',
      'email:transactional:on',
      'sms:marketing:off',
      'sms:transactional:on',
      'whatsapp:marketing:off',
      // WhatsApp needs an opt-in even for service messages (Meta's policy).
      'whatsapp:transactional:off',
      'phone:marketing:off',
      'phone:transactional:on',
    ]);

    const emailOnly = await customer({ market: 'DE', phone: null });
    expect((await preferenceView(h.db, emailOnly))!.items.map((i) => i.channel)).toEqual(['email', 'email']);
  });

  it('shows nothing for an erased or unknown customer', async () => {
    const id = await customer({ market: 'PL' });
    await h.db.update(customers).set({ erasedAt: new Date() }).where(eq(customers.id, id));
    expect(await preferenceView(h.db, id)).toBeNull();
    expect(await preferenceView(h.db, 987_654_321)).toBeNull();
    expect(await withdrawPreference(h.db, { customerId: id, channel: 'email', purpose: 'marketing', seen: null }, ctx)).toEqual({
      ok: false,
      code: 'not_found',
    });
    expect(await eventsOf(id)).toEqual([]);
  });

  it('withdraws marketing through the contact point: every record holding it, suppressed, once per click', async () => {
    const email = 'jan.nowak@sklep.example';
    const id = await customer({ market: 'PL', email });
    const twin = await customer({ market: 'PL', email, phone: null });
    await grant(id, 'email', 'marketing');
    await grant(twin, 'email', 'marketing');
    const seen = (await itemOf(id, 'email', 'marketing')).lastEventId;

    const first = await withdrawPreference(h.db, { customerId: id, channel: 'email', purpose: 'marketing', seen }, ctx);
    expect(first).toMatchObject({ ok: true, changed: true });
    expect(await stateOf(id, 'email', 'marketing')).toBe('withdrawn');
    expect(await stateOf(twin, 'email', 'marketing')).toBe('withdrawn');
    expect(await stateOf(id, 'email', 'transactional')).toBe('unknown');
    const [event] = (await eventsOf(id)).filter((e) => e.kind === 'withdrawn');
    expect(event).toMatchObject({ source: PREFERENCE_SOURCE, channel: 'email', purpose: 'marketing' });
    expect(await evidenceOf(event!)).toMatchObject({
      formVersion: ctx.pageVersion,
      ip: ctx.ip,
      userAgent: ctx.userAgent,
      contactPoint: 'email',
    });
    const suppressed = await h.db
      .select({ channel: suppressions.channel, purpose: suppressions.purpose })
      .from(suppressions)
      .where(eq(suppressions.valueHash, contactHash('email', email)));
    expect(suppressed).toEqual([{ channel: 'email', purpose: 'marketing' }]);

    // The same page clicked again (a double click, a resent form): nothing more.
    const again = await withdrawPreference(h.db, { customerId: id, channel: 'email', purpose: 'marketing', seen }, ctx);
    expect(again).toMatchObject({ ok: true, changed: false });
    expect((await eventsOf(id)).filter((e) => e.kind === 'withdrawn')).toHaveLength(1);
  });

  it('keeps an objection to service messages on the record', async () => {
    const phone = '+48600999111';
    const id = await customer({ market: 'PL', phone });
    const other = await customer({ market: 'PL', phone });
    await grant(id, 'whatsapp', 'transactional');
    await grant(other, 'whatsapp', 'transactional');
    const seen = (await itemOf(id, 'whatsapp', 'transactional')).lastEventId;
    expect(await withdrawPreference(h.db, { customerId: id, channel: 'whatsapp', purpose: 'transactional', seen }, ctx)).toMatchObject({
      ok: true,
      changed: true,
    });
    expect(await stateOf(id, 'whatsapp', 'transactional')).toBe('withdrawn');
    expect(await stateOf(other, 'whatsapp', 'transactional')).toBe('granted');
    expect(
      await h.db
        .select()
        .from(suppressions)
        .where(eq(suppressions.valueHash, contactHash('phone', phone))),
    ).toEqual([]);
  });

  it('mails a German grant its confirmation link in the page language, and the link confirms it', async () => {
    const smtp = await startTestSmtp();
    const saved = { SMTP_URL: process.env.SMTP_URL, MAIL_FROM: process.env.MAIL_FROM };
    process.env.SMTP_URL = smtp.url;
    process.env.MAIL_FROM = 'Gartenhaus Müller <shop@gartenhaus.example>';
    try {
      const de = await customer({ market: 'DE', language: 'de' });
      const item = await itemOf(de, 'email', 'marketing');
      const wording = 'Ja, senden Sie mir Angebote per E-Mail.';
      const result = await grantPreference(
        h.db,
        { customerId: de, channel: 'email', purpose: 'marketing', seen: item.lastEventId, wording },
        ctx,
      );
      expect(result).toMatchObject({ ok: true, doubleOptIn: true });
      const grantedAt = result.ok ? result.events[0]!.state.grantedAt! : new Date();
      const grant = { customerId: de, channel: 'email' as const, purpose: 'marketing' as const, grantedAt };
      expect(await requestGrantConfirmation(h.db, grant, 'de', 'https://zgoda.example')).toBe(true);

      const [row] = await h.db.select({ email: customers.email }).from(customers).where(eq(customers.id, de));
      const mail = await smtp.mailTo(row!.email!);
      expect(mail.subject).toBe('Bitte bestätigen: Nachrichten von Gartenhaus Müller');
      const token = /https:\/\/zgoda\.example\/c\/(\S+)/.exec(mail.text ?? '')?.[1];
      expect(token).toBeTruthy();
      expect(await stateOf(de, 'email', 'marketing')).toBe('pending_confirmation');
      expect(await confirmByLink(h.db, token!, { ip: '198.51.100.9', userAgent: 'Firefox' })).toMatchObject({
        ok: true,
        confirmed: [{ channel: 'email', purpose: 'marketing' }],
      });
      expect(await stateOf(de, 'email', 'marketing')).toBe('granted');

      // Without a mail server, or without an e-mail address, nothing is sent and the caller says so.
      delete process.env.SMTP_URL;
      expect(await requestGrantConfirmation(h.db, grant, 'de', 'https://zgoda.example')).toBe(false);
      process.env.SMTP_URL = smtp.url;
      const noEmail = await customer({ market: 'DE', email: null });
      expect(await requestGrantConfirmation(h.db, { ...grant, customerId: noEmail }, 'de', 'https://zgoda.example')).toBe(false);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await smtp.close();
    }
  });

  it('names the shop a customer was last asked for, else the newest form, else the sender in MAIL_FROM', async () => {
    const id = await customer({ market: 'DE' });
    const env = { MAIL_FROM: '"Kwiatek Sp. z o.o." <noreply@kwiatek.example>' };
    expect(await shopNameFor(h.db, id, env)).toBe('Kwiatek Sp. z o.o.');
    await createConfirmation(h.db, { customerId: id, items: [], shopName: 'Gartenhaus Müller', language: 'de' });
    expect(await shopNameFor(h.db, id, env)).toBe('Gartenhaus Müller');
    const fresh = await createTestDb(driver);
    try {
      expect(await shopNameFor(fresh.db, 1, { MAIL_FROM: 'noreply@kwiatek.example' })).toBe('kwiatek.example');
    } finally {
      await fresh.close();
    }
  });

  it('records a grant with the wording and page version; double opt-in where the market asks for it', async () => {
    const pl = await customer({ market: 'PL' });
    const de = await customer({ market: 'DE' });
    const wording = 'Tak, chcę otrzymywać oferty e-mailem.';
    for (const [id, expected] of [
      [pl, 'granted'],
      [de, 'pending_confirmation'],
    ] as const) {
      const item = await itemOf(id, 'email', 'marketing');
      expect(item.confirmationRequired).toBe(id === de);
      const result = await grantPreference(
        h.db,
        { customerId: id, channel: 'email', purpose: 'marketing', seen: item.lastEventId, wording },
        ctx,
      );
      expect(result).toMatchObject({ ok: true, changed: true, doubleOptIn: id === de });
      expect(await stateOf(id, 'email', 'marketing')).toBe(expected);
      const [event] = await eventsOf(id);
      expect(event).toMatchObject({ kind: 'granted', source: PREFERENCE_SOURCE });
      expect(await evidenceOf(event!)).toEqual({
        formVersion: ctx.pageVersion,
        ip: ctx.ip,
        userAgent: ctx.userAgent,
        wording,
        ...(id === de ? { doubleOptIn: true } : {}),
      });
    }
    expect((await itemOf(de, 'email', 'marketing')).shown).toBe('pending');
  });

  it('grants only on what the customer saw, and re-opens a withdrawn channel with a new grant', async () => {
    const id = await customer({ market: 'PL' });
    await grant(id, 'sms', 'marketing');
    const before = (await itemOf(id, 'sms', 'marketing')).lastEventId;
    await withdrawPreference(h.db, { customerId: id, channel: 'sms', purpose: 'marketing', seen: before }, ctx);
    // A grant clicked on the page as it was before the withdrawal: the customer decides on what is true now.
    const stale = await grantPreference(
      h.db,
      { customerId: id, channel: 'sms', purpose: 'marketing', seen: before, wording: 'Tak, SMS' },
      ctx,
    );
    expect(stale).toEqual({ ok: false, code: 'stale' });
    expect(await stateOf(id, 'sms', 'marketing')).toBe('withdrawn');

    const now = await itemOf(id, 'sms', 'marketing');
    expect(now.shown).toBe('off');
    const later = new Date(Date.now() + 1000);
    const reopened = await grantPreference(
      h.db,
      { customerId: id, channel: 'sms', purpose: 'marketing', seen: now.lastEventId, wording: 'Tak, SMS' },
      { ...ctx, now: later },
    );
    expect(reopened).toMatchObject({ ok: true, changed: true });
    expect(await stateOf(id, 'sms', 'marketing')).toBe('granted');
  });

  it('refuses a grant for a channel the customer cannot be reached on', async () => {
    const id = await customer({ market: 'PL', phone: null });
    const result = await grantPreference(
      h.db,
      { customerId: id, channel: 'whatsapp', purpose: 'marketing', seen: null, wording: 'Tak' },
      ctx,
    );
    expect(result).toEqual({ ok: false, code: 'no_contact_point' });
    expect(await eventsOf(id)).toEqual([]);
  });

  describe('one-click unsubscribe', () => {
    const request = { ip: '209.85.220.41', userAgent: 'Google-Unsubscribe', via: 'one_click' as const };

    it('withdraws e-mail marketing through the address, and a repeat changes nothing', async () => {
      const email = 'ewa.zielinska@poczta.example';
      const id = await customer({ market: 'PL', email });
      const twin = await customer({ market: 'PL', email });
      await grant(id, 'email', 'marketing');
      await grant(id, 'email', 'transactional');
      expect(await unsubscribeEmail(h.db, id, request)).toMatchObject({ ok: true, changed: true });
      expect(await stateOf(id, 'email', 'marketing')).toBe('withdrawn');
      expect(await stateOf(twin, 'email', 'marketing')).toBe('withdrawn');
      expect(await stateOf(id, 'email', 'transactional')).toBe('granted');
      const withdrawals = (await eventsOf(id)).filter((e) => e.kind === 'withdrawn');
      expect(withdrawals).toHaveLength(1);
      expect(withdrawals[0]).toMatchObject({ source: UNSUBSCRIBE_SOURCE });
      expect(await evidenceOf(withdrawals[0]!)).toMatchObject({ ip: request.ip, userAgent: request.userAgent, contactPoint: 'email' });
      expect(
        await h.db
          .select({ channel: suppressions.channel, purpose: suppressions.purpose })
          .from(suppressions)
          .where(eq(suppressions.valueHash, contactHash('email', email))),
      ).toEqual([{ channel: 'email', purpose: 'marketing' }]);

      expect(await unsubscribeEmail(h.db, id, request)).toMatchObject({ ok: true, changed: false });
      expect((await eventsOf(id)).filter((e) => e.kind === 'withdrawn')).toHaveLength(1);
    });

    it('writes one withdrawal for requests that race', async () => {
      const id = await customer({ market: 'DE' });
      await grant(id, 'email', 'marketing');
      const results = await Promise.all([1, 2, 3].map(() => unsubscribeEmail(h.db, id, request)));
      expect(results.every((r) => r.ok)).toBe(true);
      expect((await eventsOf(id)).filter((e) => e.kind === 'withdrawn')).toHaveLength(1);
    });

    it('withdraws on the record when it no longer holds an address, and never for an erased or unknown one', async () => {
      const noEmail = await customer({ market: 'FR', email: null });
      expect(await unsubscribeEmail(h.db, noEmail, request)).toMatchObject({ ok: true, changed: true });
      expect(await stateOf(noEmail, 'email', 'marketing')).toBe('withdrawn');

      const erased = await customer({ market: 'FR' });
      await h.db.update(customers).set({ erasedAt: new Date() }).where(eq(customers.id, erased));
      expect(await unsubscribeEmail(h.db, erased, request)).toEqual({ ok: true, changed: false, events: [] });
      expect(await eventsOf(erased)).toEqual([]);
      expect(await unsubscribeEmail(h.db, 987_654_321, request)).toEqual({ ok: false, code: 'not_found' });
    });
  });
});
