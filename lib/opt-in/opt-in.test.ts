import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import type { DbHandle } from '@/db';
import {
  auditLog,
  confirmations,
  consentEvents,
  consentEvidencePersonal,
  consentState,
  customers,
  optInFormVersions,
  users,
} from '@/db/schema';
import { createTestDb, testDrivers } from '@/db/testing';
import { ensureDefaultPolicies } from '@/lib/consent-store/policies';
import { recordConsentEvent } from '@/lib/consent-store/record';
import { eraseCustomer } from '@/lib/privacy/erase';
import type { TestSmtp } from '@/lib/mail/test-server';
import { startTestSmtp } from '@/lib/mail/test-server';
import { signLink } from '@/lib/public/token';
import { CONFIRMATION_TTL_DAYS, confirmByLink, readConfirmation } from './confirm';
import type { FormDefinition } from './forms';
import { formBySlug, formDefinitionSchema, formVersions, frameOrigins, readOrigin, saveForm } from './forms';
import { sendConfirmation } from './mail';
import type { SubmissionInput } from './submit';
import { submitForm } from './submit';

process.env.ZGODA_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'zgoda-opt-in-'));

const definition = (over: Partial<FormDefinition> = {}): FormDefinition => ({
  slug: 'shop-de',
  shopName: 'Gartenhaus Müller',
  privacyUrl: 'https://gartenhaus.example/datenschutz',
  language: 'de',
  market: 'DE',
  boxes: [
    { channel: 'email', purpose: 'marketing', wording: 'Ja, senden Sie mir Angebote per E-Mail.' },
    { channel: 'whatsapp', purpose: 'transactional', wording: 'Ja, informieren Sie mich per WhatsApp über meine Bestellung.' },
  ],
  alwaysDoubleOptIn: false,
  allowedOrigins: ['https://gartenhaus.example'],
  active: true,
  ...over,
});

const request = { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (test)' };

describe('form definitions', () => {
  it.each([
    ['https://shop.example', 'https://shop.example'],
    ['https://shop.example/', 'https://shop.example'],
    ['https://shop.example:8443', 'https://shop.example:8443'],
    ['http://localhost:3000', 'http://localhost:3000'],
    ['http://shop.example', null],
    ['https://shop.example/page', null],
    ['https://*.shop.example', null],
    ["https://shop.example 'unsafe-inline'", null],
    ['shop.example', null],
  ])('reads the origin %s as %s', (input, expected) => {
    expect(readOrigin(input)).toBe(expected);
  });

  it('refuses a box asked twice, no box, a bad slug and a bad origin, naming the field', () => {
    const twice = formDefinitionSchema.safeParse(
      definition({
        boxes: [
          { channel: 'email', purpose: 'marketing', wording: 'a' },
          { channel: 'email', purpose: 'marketing', wording: 'b' },
        ],
      }),
    );
    expect(twice.success).toBe(false);
    expect(twice.error?.issues[0]).toMatchObject({ path: ['boxes'], message: 'box_twice' });
    expect(formDefinitionSchema.safeParse(definition({ boxes: [] })).error?.issues[0]?.message).toBe('boxes_required');
    expect(formDefinitionSchema.safeParse(definition({ slug: 'A b' })).error?.issues[0]?.path).toEqual(['slug']);
    expect(formDefinitionSchema.safeParse(definition({ allowedOrigins: ['https://x.example/path'] })).error?.issues[0]?.path).toEqual([
      'allowedOrigins',
    ]);
  });
});

describe.each(testDrivers())('hosted opt-in forms on %s', (driver) => {
  let h: DbHandle;
  let adminId: number;
  let smtp: TestSmtp;
  beforeAll(async () => {
    h = await createTestDb(driver);
    await ensureDefaultPolicies(h.db);
    const [admin] = await h.db
      .insert(users)
      .values({ email: 'admin@example.test', name: 'Admin', role: 'admin', passwordHash: 'x' })
      .returning({ id: users.id });
    adminId = admin!.id;
    smtp = await startTestSmtp();
  });
  afterAll(async () => {
    await smtp?.close();
    await h?.close();
  });

  let forms = 0;
  /** A new form of its own (slug made unique), saved by the admin. */
  async function newForm(over: Partial<FormDefinition> = {}) {
    const saved = await saveForm(h.db, null, definition({ slug: `form-${driver}-${++forms}`, ...over }), adminId);
    if (!saved.ok) throw new Error(saved.code);
    return (await formBySlug(h.db, definition({ slug: `form-${driver}-${forms}` }).slug))!;
  }
  // The whole evidence of each event: the ledger's part with the identifying part (IP, user agent) kept beside it.
  const eventsOf = async (customerId: number) =>
    (
      await h.db
        .select({ event: consentEvents, personal: consentEvidencePersonal.evidence })
        .from(consentEvents)
        .leftJoin(consentEvidencePersonal, eq(consentEvidencePersonal.eventId, consentEvents.id))
        .where(eq(consentEvents.customerId, customerId))
    ).map(({ event, personal }) => ({ ...event, ledgerEvidence: event.evidence, evidence: { ...event.evidence, ...personal } }));
  const stateOf = async (customerId: number, channel: 'email' | 'whatsapp', purpose: 'marketing' | 'transactional') =>
    (
      await h.db
        .select()
        .from(consentState)
        .where(and(eq(consentState.customerId, customerId), eq(consentState.channel, channel), eq(consentState.purpose, purpose)))
    )[0];
  const submit = (form: Awaited<ReturnType<typeof newForm>>, input: Partial<SubmissionInput>, now?: Date) =>
    submitForm(h.db, form, { email: '', phone: '', ticked: [], ...input }, request, now);

  it('keeps every version of the wording: a change adds one, a save without change adds none, none can be edited', async () => {
    const created = await saveForm(h.db, null, definition({ slug: `versions-${driver}` }), adminId);
    expect(created).toMatchObject({ ok: true, newVersion: true });
    if (!created.ok) return;
    const same = await saveForm(h.db, created.formId, definition({ slug: `versions-${driver}`, allowedOrigins: [] }), adminId);
    expect(same).toMatchObject({ ok: true, newVersion: false, versionId: created.versionId });
    expect(await frameOrigins(h.db, `versions-${driver}`)).toEqual([]);
    const reworded = definition({
      slug: `versions-${driver}`,
      boxes: [{ channel: 'email', purpose: 'marketing', wording: 'Ja, ich möchte den Newsletter mit Angeboten per E-Mail.' }],
    });
    const changed = await saveForm(h.db, created.formId, reworded, adminId);
    expect(changed).toMatchObject({ ok: true, newVersion: true });
    const versions = await formVersions(h.db, created.formId);
    expect(versions.map((v) => [v.version, v.boxes.length])).toEqual([
      [2, 1],
      [1, 2],
    ]);
    expect(versions[1]!.boxes[0]!.wording).toBe('Ja, senden Sie mir Angebote per E-Mail.');
    await expect(h.db.update(optInFormVersions).set({ shopName: 'forged' })).rejects.toThrow();
    await expect(h.db.delete(optInFormVersions)).rejects.toThrow();
    expect(await frameOrigins(h.db, `versions-${driver}`)).toEqual(['https://gartenhaus.example']);
    const audits = await h.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.entityId, String(created.formId)));
    expect(audits.map((a) => a.action).sort()).toEqual([
      'opt_in_form.create',
      'opt_in_form.update',
      'opt_in_form.update',
      'opt_in_form.version',
      'opt_in_form.version',
    ]);
  });

  it('refuses a slug another form has', async () => {
    await newForm();
    const again = await saveForm(h.db, null, definition({ slug: `form-${driver}-${forms}` }), adminId);
    expect(again).toEqual({ ok: false, code: 'slug_taken' });
  });

  it('records nothing for a submission with no box ticked, or only boxes the form does not show', async () => {
    const form = await newForm();
    const before = await h.db.$count(consentEvents);
    const customersBefore = await h.db.$count(customers);
    for (const ticked of [[], ['sms.marketing', 'email.transactional']]) {
      const result = await submit(form, { email: `nobox-${driver}@example.de`, ticked });
      expect(result).toEqual({ ok: false, problems: { boxes: 'nothing_ticked' } });
    }
    expect(await h.db.$count(consentEvents)).toBe(before);
    expect(await h.db.$count(customers)).toBe(customersBefore);
  });

  it('names each field that is wrong: the address, a phone the channels need, a phone that is no number', async () => {
    const form = await newForm();
    expect(await submit(form, { email: 'not an address', ticked: ['email.marketing'] })).toEqual({
      ok: false,
      problems: { email: 'email_invalid' },
    });
    expect(await submit(form, { email: `p-${driver}@example.de`, ticked: ['whatsapp.transactional'] })).toEqual({
      ok: false,
      problems: { phone: 'phone_required' },
    });
    expect(await submit(form, { email: `p-${driver}@example.de`, phone: '12', ticked: ['email.marketing'] })).toEqual({
      ok: false,
      problems: { phone: 'phone_invalid' },
    });
  });

  it('a German customer: a new customer, grants pending confirmation with the wording and version, and a request to confirm', async () => {
    const form = await newForm();
    const email = `lena-${driver}@example.de`;
    const result = await submit(form, {
      email: ` ${email.toUpperCase()} `,
      phone: '0151 23456789',
      ticked: ['email.marketing', 'whatsapp.transactional'],
    });
    expect(result).toMatchObject({ ok: true, recorded: 2 });
    if (!result.ok) return;
    const [customer] = await h.db.select().from(customers).where(eq(customers.id, result.customerId));
    expect(customer).toMatchObject({ email, phone: '+4915123456789', market: 'DE', language: 'de', source: 'web_form' });
    const events = await eventsOf(result.customerId);
    expect(events).toHaveLength(2);
    const email_ = events.find((e) => e.channel === 'email')!;
    expect(email_).toMatchObject({ kind: 'granted', source: 'web_form', purpose: 'marketing' });
    expect(email_.evidence).toEqual({
      wording: 'Ja, senden Sie mir Angebote per E-Mail.',
      formVersion: `${form.form.slug} v1`,
      formVersionId: form.version.id,
      ip: request.ip,
      userAgent: request.userAgent,
      doubleOptIn: true,
    });
    expect(email_.ledgerEvidence).not.toHaveProperty('ip');
    expect(email_.ledgerEvidence).not.toHaveProperty('userAgent');
    expect((await stateOf(result.customerId, 'email', 'marketing'))?.status).toBe('pending_confirmation');
    // Order updates need no double opt-in in Germany: granted at once, and only the advertising waits for confirmation.
    expect((await stateOf(result.customerId, 'whatsapp', 'transactional'))?.status).toBe('granted');
    expect(result.confirmation?.items.map((i) => `${i.channel}.${i.purpose}`)).toEqual(['email.marketing']);
    expect(result.confirmation?.to).toBe(email);
  });

  it('a Polish form grants at once (no double opt-in in PL) unless the form always asks for it', async () => {
    const pl = await newForm({ market: 'PL', language: 'pl' });
    const direct = await submit(pl, { email: `ola-${driver}@example.pl`, ticked: ['email.marketing'] });
    expect(direct).toMatchObject({ ok: true, confirmation: null });
    if (direct.ok) expect((await stateOf(direct.customerId, 'email', 'marketing'))?.status).toBe('granted');
    const always = await newForm({ market: 'PL', language: 'pl', alwaysDoubleOptIn: true });
    const asked = await submit(always, { email: `jan-${driver}@example.pl`, ticked: ['email.marketing'] });
    expect(asked.ok && asked.confirmation).toBeTruthy();
    if (asked.ok) expect((await stateOf(asked.customerId, 'email', 'marketing'))?.status).toBe('pending_confirmation');
  });

  it('finds a known customer by the address, keeps their number, and a withdrawn one gets the new grant as the ledger allows', async () => {
    const [known] = await h.db
      .insert(customers)
      .values({ market: 'AT', email: `known-${driver}@example.at`, phone: '+436641234567', source: 'import' })
      .returning({ id: customers.id });
    await recordConsentEvent(
      h.db,
      {
        customerId: known!.id,
        channel: 'email',
        purpose: 'marketing',
        kind: 'withdrawn',
        occurredAt: new Date(Date.now() - 86_400_000),
        source: 'support_call',
        evidence: { reason: 'asked by phone' },
      },
      null,
    );
    const form = await newForm();
    const count = await h.db.$count(customers);
    const result = await submit(form, {
      email: `Known-${driver}@example.at`,
      phone: '+4915199999999',
      ticked: ['email.marketing', 'whatsapp.transactional'],
    });
    expect(result).toMatchObject({ ok: true, customerId: known!.id, recorded: 1 });
    expect(await h.db.$count(customers)).toBe(count);
    const [after] = await h.db.select().from(customers).where(eq(customers.id, known!.id));
    // The number on file stays; the WhatsApp box, consent for a number the customer never gave us, is not recorded.
    expect(after!.phone).toBe('+436641234567');
    expect(await stateOf(known!.id, 'whatsapp', 'transactional')).toBeUndefined();
    // A new act of the customer, later than the withdrawal: it re-opens the channel, pending confirmation (AT: DE-speaking
    // form, market AT keeps its own rule, which the form's DE rule does not override).
    expect((await stateOf(known!.id, 'email', 'marketing'))?.status).not.toBe('withdrawn');
    const skipped = await h.db
      .select({ after: auditLog.after })
      .from(auditLog)
      .where(and(eq(auditLog.action, 'opt_in_form.phone_differs'), eq(auditLog.entityId, String(known!.id))));
    expect(skipped).toHaveLength(1);
  });

  it("an erased person's address starts withdrawn on the new record, saying why and not who", async () => {
    const email = `forgotten-${driver}@example.de`;
    const [gone] = await h.db
      .insert(customers)
      .values({ market: 'DE', email, phone: '+4915112345678', firstName: 'Jana', lastName: 'Vergessen', source: 'import' })
      .returning({ id: customers.id });
    const erased = await eraseCustomer(h.db, { customerId: gone!.id, reason: 'asked by e-mail' }, adminId);
    expect(erased.ok).toBe(true);
    const form = await newForm();
    const result = await submit(form, { email: email.toUpperCase(), ticked: ['email.marketing'] });
    expect(result).toMatchObject({ ok: true, recorded: 1 });
    if (!result.ok) return;
    expect(result.customerId).not.toBe(gone!.id);
    const events = (await eventsOf(result.customerId)).sort((a, b) => a.id - b.id);
    // The suppression's withdrawal comes first, for every purpose of the e-mail; the grant of the form after it.
    expect(events.map((e) => [e.kind, e.source])).toEqual([
      ['withdrawn', 'suppression'],
      ['withdrawn', 'suppression'],
      ['granted', 'web_form'],
    ]);
    expect(
      events
        .slice(0, 2)
        .map((e) => e.purpose)
        .sort(),
    ).toEqual(['marketing', 'transactional']);
    for (const e of events.filter((e) => e.source === 'suppression')) {
      expect(e.evidence).toEqual({ reason: 'erased', contactPoint: 'email' });
    }
    expect((await stateOf(result.customerId, 'email', 'transactional'))?.status).toBe('withdrawn');
    // DE asks for double opt-in: the new grant waits for the confirmation, and nothing in what the visitor is answered
    // tells that the address was known.
    expect((await stateOf(result.customerId, 'email', 'marketing'))?.status).toBe('pending_confirmation');
    expect(Object.keys(result).sort()).toEqual(['confirmation', 'customerId', 'ok', 'recorded']);
    expect(JSON.stringify(result)).not.toMatch(/erased|Jana|Vergessen/);
  });

  it('confirms once by the link: confirmed with IP and user agent, then used; the page reads without changing anything', async () => {
    const form = await newForm();
    const result = await submit(form, { email: `confirm-${driver}@example.de`, ticked: ['email.marketing'] });
    if (!result.ok || !result.confirmation) throw new Error('no confirmation');
    const { token, id } = result.confirmation;
    const read = await readConfirmation(h.db, token);
    expect(read).toMatchObject({
      ok: true,
      view: { shopName: 'Gartenhaus Müller', language: 'de', items: [{ channel: 'email', purpose: 'marketing' }] },
    });
    expect(await readConfirmation(h.db, token)).toMatchObject({ ok: true });
    expect((await stateOf(result.customerId, 'email', 'marketing'))?.status).toBe('pending_confirmation');

    const confirmed = await confirmByLink(h.db, token, { ip: '198.51.100.4', userAgent: 'Mail client' });
    expect(confirmed).toMatchObject({ ok: true, confirmed: [{ channel: 'email', purpose: 'marketing' }] });
    const state = await stateOf(result.customerId, 'email', 'marketing');
    expect(state?.status).toBe('granted');
    expect(state?.confirmedAt).not.toBeNull();
    const event = (await eventsOf(result.customerId)).find((e) => e.kind === 'confirmed')!;
    expect(event.evidence).toMatchObject({ ip: '198.51.100.4', userAgent: 'Mail client', formVersionId: form.version.id });
    expect(event.evidence.proofReference).toContain(id);

    const events = await h.db.$count(consentEvents);
    expect(await confirmByLink(h.db, token, request)).toMatchObject({ ok: false, reason: 'used', language: 'de' });
    expect(await readConfirmation(h.db, token)).toMatchObject({ ok: false, reason: 'used' });
    expect(await h.db.$count(consentEvents)).toBe(events);
  });

  it('an expired, tampered or foreign link changes nothing and says which', async () => {
    const form = await newForm();
    const now = new Date();
    const result = await submit(form, { email: `late-${driver}@example.de`, ticked: ['email.marketing'] }, now);
    if (!result.ok || !result.confirmation) throw new Error('no confirmation');
    const { token, id } = result.confirmation;
    const later = new Date(now.getTime() + (CONFIRMATION_TTL_DAYS * 86_400 + 60) * 1000);
    const events = await h.db.$count(consentEvents);
    expect(await confirmByLink(h.db, token, request, later)).toMatchObject({ ok: false, reason: 'expired', language: 'de' });
    const [payload, mac] = token.split('.') as [string, string];
    const tampered = `${payload}.${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await confirmByLink(h.db, tampered, request)).toEqual({ ok: false, reason: 'invalid' });
    // Signed by us, but for another customer, or as another kind of link.
    expect(await confirmByLink(h.db, signLink('confirm', result.customerId + 1, { id, ttlSeconds: 60 }), request)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(await confirmByLink(h.db, signLink('preferences', result.customerId, { id, ttlSeconds: 60 }), request)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(await h.db.$count(consentEvents)).toBe(events);
    expect((await stateOf(result.customerId, 'email', 'marketing'))?.status).toBe('pending_confirmation');
    const [row] = await h.db.select({ usedAt: confirmations.usedAt }).from(confirmations).where(eq(confirmations.id, id));
    expect(row?.usedAt).toBeNull();
  });

  it('a link made before a withdrawal confirms nothing the customer has withdrawn since', async () => {
    const form = await newForm();
    const result = await submit(
      form,
      { email: `changed-${driver}@example.de`, ticked: ['email.marketing'] },
      new Date(Date.now() - 60_000),
    );
    if (!result.ok || !result.confirmation) throw new Error('no confirmation');
    await recordConsentEvent(
      h.db,
      {
        customerId: result.customerId,
        channel: 'email',
        purpose: 'marketing',
        kind: 'withdrawn',
        occurredAt: new Date(Date.now() - 30_000),
        source: 'unsubscribe_link',
        evidence: { reason: 'unsubscribed' },
      },
      null,
    );
    expect(await confirmByLink(h.db, result.confirmation.token, request)).toMatchObject({ ok: true, confirmed: [] });
    expect((await stateOf(result.customerId, 'email', 'marketing'))?.status).toBe('withdrawn');
  });

  it('mails the confirmation in the customer language over SMTP, with the link to the page', async () => {
    const form = await newForm();
    const email = `mail-${driver}@example.de`;
    const result = await submit(form, { email, ticked: ['email.marketing'] });
    if (!result.ok || !result.confirmation) throw new Error('no confirmation');
    const env = { SMTP_URL: process.env.SMTP_URL, MAIL_FROM: process.env.MAIL_FROM };
    process.env.SMTP_URL = smtp.url;
    process.env.MAIL_FROM = 'Gartenhaus Müller <shop@gartenhaus.example>';
    try {
      expect(await sendConfirmation(h.db, result.confirmation, 'https://zgoda.example')).toBe('sent');
    } finally {
      Object.assign(process.env, env);
      for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
    }
    const mail = await smtp.mailTo(email);
    expect(mail.subject).toBe('Bitte bestätigen: Nachrichten von Gartenhaus Müller');
    expect(mail.text).toContain('E-Mail: Angebote und Neuigkeiten (Werbung)');
    expect(mail.text).toContain(`https://zgoda.example/c/${result.confirmation.token}`);
    expect(mail.html).toContain(`href="https://zgoda.example/c/${result.confirmation.token}"`);
    const [row] = await h.db.select().from(confirmations).where(eq(confirmations.id, result.confirmation.id));
    expect(row?.sentAt).not.toBeNull();
  });

  it('without a mail server sends nothing, says so on the request, and the grant stays pending', async () => {
    const form = await newForm();
    const result = await submit(form, { email: `nomail-${driver}@example.de`, ticked: ['email.marketing'] });
    if (!result.ok || !result.confirmation) throw new Error('no confirmation');
    const saved = process.env.SMTP_URL;
    delete process.env.SMTP_URL;
    try {
      expect(await sendConfirmation(h.db, result.confirmation, 'https://zgoda.example')).toBe('not_configured');
    } finally {
      if (saved !== undefined) process.env.SMTP_URL = saved;
    }
    const [row] = await h.db.select().from(confirmations).where(eq(confirmations.id, result.confirmation.id));
    expect(row).toMatchObject({ sentAt: null, sendError: expect.stringContaining('SMTP_URL') });
    expect((await stateOf(result.customerId, 'email', 'marketing'))?.status).toBe('pending_confirmation');
  });

  it('a closed form takes nothing', async () => {
    const form = await newForm({ active: false });
    expect(await submit(form, { email: `closed-${driver}@example.de`, ticked: ['email.marketing'] })).toEqual({
      ok: false,
      problems: { form: 'form_closed' },
    });
    expect(await h.db.execute(sql`select 1`)).toBeTruthy();
  });
});
