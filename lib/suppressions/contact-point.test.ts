import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import type { DbHandle } from '@/db';
import { consentEvents, consentState, customers, suppressions, users } from '@/db/schema';
import { createTestDb, testDrivers } from '@/db/testing';
import type { Channel, Purpose } from '@/lib/consent';
import { PURPOSES, UNKNOWN_STATE, evaluate, resolvePolicy } from '@/lib/consent';
import { reasonsByCustomer } from '@/lib/consent-store/eligibility';
import { ensureDefaultPolicies, loadPolicies } from '@/lib/consent-store/policies';
import { recordConsentEvent } from '@/lib/consent-store/record';
import { createComplaintSchema } from '@/lib/complaints/input';
import { createComplaint } from '@/lib/complaints/record';
import { reasonCounts } from '@/lib/coverage/queries';
import { createBatch } from '@/lib/import/batches';
import { detectPreset, guessMapping } from '@/lib/import/fields';
import { uploadFile } from '@/lib/import/fixtures';
import { sniffFile } from '@/lib/import/read';
import { commitImport } from '@/lib/import/commit';
import { dryRun } from '@/lib/import/dry-run';
import { readEmail, readPhone } from '@/lib/import/values';
import { aggregateCounts, audienceCounts, twinCounts } from '@/lib/messages/audience';
import { startExport } from '@/lib/messages/export';
import { marketingDraft } from '@/lib/messages/test-data';
import { saveDraft, stepDraft } from '@/lib/messages/store';
import { applyInbound } from '@/lib/whatsapp/inbound';
import { parseWebhook } from '@/lib/whatsapp/payload';
import { inboundMessage, userPreference } from '@/lib/whatsapp/samples';
import { contactHash, suppressContact } from './index';
import { applySuppressionsOnce, applySuppressionsToHolders, withdrawContactPoint } from './contact-point';

const DAY = 86_400_000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zgoda-contact-point-'));
let fileNo = 0;

function intentsOf(body: unknown) {
  const parsed = parseWebhook(body);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.intents;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) text += decoder.decode(chunk, { stream: true });
  return text;
}

describe.each(testDrivers())('a contact point is a person, on %s', (driver) => {
  let h: DbHandle;
  let seller: { id: number; role: 'seller' };
  let manager: { id: number; role: 'manager' };
  let support: number;
  const now = new Date();
  const earlier = new Date(now.getTime() - 10 * DAY);
  let draftNo = 0;

  beforeAll(async () => {
    h = await createTestDb(driver);
    await ensureDefaultPolicies(h.db);
    const [s, m, u] = await h.db
      .insert(users)
      .values([
        { email: 'seller@sklep-kwiatek.pl', name: 'Szymon Wiśniewski', role: 'seller', passwordHash: 'x' },
        { email: 'manager@sklep-kwiatek.pl', name: 'Marek Lewandowski', role: 'manager', passwordHash: 'x' },
        { email: 'support@sklep-kwiatek.pl', name: 'Zuzanna Kowalczyk', role: 'support', passwordHash: 'x' },
      ])
      .returning({ id: users.id });
    seller = { id: s!.id, role: 'seller' };
    manager = { id: m!.id, role: 'manager' };
    support = u!.id;
  });
  afterAll(async () => h?.close());

  /** A customer as two shops' exports wrote them, the phone and e-mail read as the import reads them. */
  async function customer(fields: {
    firstName: string;
    market: string;
    phone?: string;
    email?: string;
    externalId?: string;
  }): Promise<number> {
    const [c] = await h.db
      .insert(customers)
      .values({
        firstName: fields.firstName,
        market: fields.market,
        externalId: fields.externalId ?? null,
        phone: fields.phone ? readPhone(fields.phone, fields.market) : null,
        email: fields.email ? readEmail(fields.email) : null,
        source: 'shop_export',
      })
      .returning({ id: customers.id });
    return c!.id;
  }

  async function grant(customerId: number, channel: Channel, purposes: readonly Purpose[] = PURPOSES, at = earlier) {
    for (const purpose of purposes) {
      const r = await recordConsentEvent(
        h.db,
        {
          customerId,
          channel,
          purpose,
          kind: 'granted',
          occurredAt: at,
          source: 'web_form',
          evidence: { formVersion: 'checkout v3', wording: 'Chcę otrzymywać wiadomości WhatsApp' },
        },
        null,
      );
      expect(r.ok).toBe(true);
    }
  }

  const status = async (customerId: number, channel: Channel, purpose: Purpose) =>
    (
      await h.db
        .select({ status: consentState.status })
        .from(consentState)
        .where(and(eq(consentState.customerId, customerId), eq(consentState.channel, channel), eq(consentState.purpose, purpose)))
    )[0]?.status ?? 'unknown';

  const suppressionsOf = (kind: 'phone' | 'email', value: string) =>
    h.db
      .select({ channel: suppressions.channel, purpose: suppressions.purpose, source: suppressions.source })
      .from(suppressions)
      .where(and(eq(suppressions.kind, kind), eq(suppressions.valueHash, contactHash(kind, value))));

  /** `evaluate` over the state projection and the SQL twin, for the given customers: the reasons of each, which must be the same. */
  async function bothTwins(ids: number[], channel: Channel, purpose: Purpose): Promise<{ evaluate: string[]; twin: string[] }> {
    const policies = await loadPolicies(h.db);
    const people = await h.db.select().from(customers).where(inArray(customers.id, ids));
    const states = await h.db
      .select()
      .from(consentState)
      .where(and(inArray(consentState.customerId, ids), eq(consentState.channel, channel), eq(consentState.purpose, purpose)));
    const fromSql = await reasonsByCustomer(h.db, channel, purpose, now, undefined);
    const byId = new Map(people.map((c) => [c.id, c]));
    return {
      evaluate: ids.map((id) => {
        const c = byId.get(id)!;
        return evaluate(
          c,
          channel,
          purpose,
          states.find((s) => s.customerId === id) ?? UNKNOWN_STATE,
          resolvePolicy(policies, c.market, channel, purpose),
          now,
        ).reason;
      }),
      twin: ids.map((id) => fromSql.get(id)!),
    };
  }

  /** The phones an approved marketing draft to these markets is exported to. */
  async function exported(markets: string[]): Promise<string[]> {
    const saved = await saveDraft(h.db, marketingDraft(`promocja_${++draftNo}`, { markets }), seller, now);
    if (!saved.ok) throw new Error('draft refused');
    await stepDraft(h.db, saved.id, 'submit', seller);
    await stepDraft(h.db, saved.id, 'approve', manager);
    const started = await startExport(h.db, saved.id, seller, new Date(), 2);
    if (!started.ok) throw new Error(`export refused: ${started.refusal}`);
    const text = (await readAll(started.stream)).trim();
    return text
      ? text
          .split('\n')
          .map((l) => `+${(JSON.parse(l) as { to: string }).to}`)
          .sort()
      : [];
  }

  async function importCsv(content: string) {
    const p = path.join(dir, `k${++fileNo}.csv`);
    fs.writeFileSync(p, content);
    const upload = await uploadFile(h.db, p);
    const sniff = await sniffFile(upload.file);
    const mapping = guessMapping(sniff.header, detectPreset(sniff.header));
    const batchId = await createBatch(h.db, {
      fileName: path.basename(p),
      sha256: upload.sha256,
      fileKey: upload.fileKey,
      createdBy: null,
      sniff,
    });
    const summary = await dryRun(
      h.db,
      batchId,
      upload.file,
      { format: { encoding: sniff.encoding, delimiter: sniff.delimiter }, mapping, options: {} },
      undefined,
      now,
    );
    return { summary, result: await commitImport(h.db, batchId, null) };
  }

  const shared = { ola: 0, aleksandra: 0, control: 0 };

  it('a STOP from a phone two records hold withdraws both: neither counted, nor exported, and the twins agree', async () => {
    // The same person bought in two shops; one export wrote the number internationally, the other without the prefix.
    shared.ola = await customer({ firstName: 'Ola', market: 'PL', phone: '+48 600 123 456', email: 'ola.nowak@example.pl' });
    shared.aleksandra = await customer({ firstName: 'Aleksandra', market: 'PL', phone: '600123456' });
    shared.control = await customer({ firstName: 'Bartek', market: 'PL', phone: '601 222 333' });
    const ids = [shared.ola, shared.aleksandra, shared.control];
    const rows = await h.db
      .select({ phone: customers.phone })
      .from(customers)
      .where(inArray(customers.id, ids.slice(0, 2)));
    expect(rows.map((r) => r.phone)).toEqual(['+48600123456', '+48600123456']);
    for (const id of ids) await grant(id, 'whatsapp');
    expect(await exported(['PL'])).toEqual(['+48600123456', '+48600123456', '+48601222333']);

    const summary = await applyInbound(
      h.db,
      intentsOf(inboundMessage('+48600123456', { type: 'text', text: 'STOP' }, { id: 'wamid.PL1', at: new Date(now.getTime() - 60_000) })),
    );
    expect(summary).toEqual({ recorded: 4, duplicates: 0, suppressed: 0, skipped: 0 });
    for (const id of [shared.ola, shared.aleksandra]) {
      expect([await status(id, 'whatsapp', 'marketing'), await status(id, 'whatsapp', 'transactional')]).toEqual([
        'withdrawn',
        'withdrawn',
      ]);
      const events = await h.db
        .select()
        .from(consentEvents)
        .where(and(eq(consentEvents.customerId, id), eq(consentEvents.kind, 'withdrawn')));
      expect(events.map((e) => e.evidence)).toEqual([
        expect.objectContaining({ messageId: 'wamid.PL1', contactPoint: 'phone' }),
        expect.objectContaining({ messageId: 'wamid.PL1', contactPoint: 'phone' }),
      ]);
    }
    expect(await status(shared.control, 'whatsapp', 'marketing')).toBe('granted');
    expect(await suppressionsOf('phone', '+48600123456')).toEqual([{ channel: 'whatsapp', purpose: null, source: 'whatsapp_keyword' }]);

    // Coverage, the audience (from the aggregates and from the twin) and the export all see the two as withdrawn.
    const coverage = await reasonCounts({ markets: ['PL'] }, 'whatsapp', 'marketing', now, h.db);
    expect(
      coverage
        .filter((r) => r.n > 0)
        .map((r) => `${r.reason}:${r.n}`)
        .sort(),
    ).toEqual(['consent:1', 'withdrawn:2']);
    const audience = await audienceCounts(h.db, 'marketing', { markets: ['PL'] }, now);
    expect(audience).toMatchObject({ total: 3, allowed: 1, blocked: { withdrawn: 2 } });
    const sorted = (r: Array<{ market: string; reason: string; n: string | number }>) =>
      r.map((x) => `${x.market}:${x.reason}:${Number(x.n)}`).sort();
    expect(sorted(await aggregateCounts(h.db, 'transactional', { markets: ['PL'] }, now))).toEqual(
      sorted(await twinCounts(h.db, 'transactional', { markets: ['PL'] }, now)),
    );
    expect(await exported(['PL'])).toEqual(['+48601222333']);
    for (const purpose of PURPOSES) {
      const twins = await bothTwins(ids, 'whatsapp', purpose);
      expect(twins.twin).toEqual(twins.evaluate);
      expect(twins.twin.slice(0, 2)).toEqual(['withdrawn', 'withdrawn']);
    }
  });

  it('a record that gets the phone later through an import starts withdrawn for the suppressed channel and purposes', async () => {
    // Ola's account in a third shop, known so far by her e-mail only; that shop's export now brings her phone.
    const third = await customer({ firstName: 'Ola', market: 'PL', email: 'ola.n@kwiaciarnia.example', externalId: 'PL-3' });
    const day = now.toISOString().slice(0, 10);
    const { summary, result } = await importCsv(
      [
        'external_id,first_name,phone,market,whatsapp_marketing,whatsapp_marketing_date,whatsapp_marketing_source,sms_marketing,sms_marketing_date,sms_marketing_source',
        `PL-3,Ola,600-123-456,PL,tak,${day},formularz zamówienia v2,tak,${day},formularz zamówienia v2`,
      ].join('\n'),
    );
    expect(summary.firstWarnings.map((w) => [w.code, w.value])).toEqual([['suppressed_contact', 'whatsapp']]);
    expect(result).toMatchObject({ ok: true, summary: { updated: 1, new: 0 } });
    expect(await status(third, 'whatsapp', 'marketing')).toBe('withdrawn');
    expect(await status(third, 'whatsapp', 'transactional')).toBe('withdrawn');
    const [event] = await h.db
      .select()
      .from(consentEvents)
      .where(and(eq(consentEvents.customerId, third), eq(consentEvents.source, 'suppression')))
      .limit(1);
    expect(event?.evidence).toMatchObject({ contactPoint: 'phone', importBatchId: expect.any(Number) });
    // Suppressed for WhatsApp only: the file's SMS consent stands.
    expect(await status(third, 'sms', 'marketing')).toBe('granted');
    expect(await exported(['PL'])).toEqual(['+48601222333']);
    const twins = await bothTwins([third], 'whatsapp', 'marketing');
    expect(twins).toEqual({ evaluate: ['withdrawn'], twin: ['withdrawn'] });
  });

  it('a new evidenced grant on one record re-opens that record only; the suppression stays for the others and later records', async () => {
    const again = await recordConsentEvent(
      h.db,
      {
        customerId: shared.ola,
        channel: 'whatsapp',
        purpose: 'marketing',
        kind: 'granted',
        occurredAt: new Date(),
        source: 'web_form',
        evidence: { formVersion: 'newsletter v4', wording: 'Tak, chcę dostawać promocje na WhatsApp' },
      },
      support,
    );
    expect(again).toMatchObject({ ok: true, state: { status: 'granted' } });
    expect(await status(shared.ola, 'whatsapp', 'marketing')).toBe('granted');
    expect(await status(shared.ola, 'whatsapp', 'transactional')).toBe('withdrawn');
    expect(await status(shared.aleksandra, 'whatsapp', 'marketing')).toBe('withdrawn');
    expect(await suppressionsOf('phone', '+48600123456')).toHaveLength(1);
    expect(await exported(['PL'])).toEqual(['+48600123456', '+48601222333']);
    const twins = await bothTwins([shared.ola, shared.aleksandra], 'whatsapp', 'marketing');
    expect(twins).toEqual({ evaluate: ['consent', 'withdrawn'], twin: ['consent', 'withdrawn'] });

    // A shop's file bringing her row again (matched by the phone) cannot undo the new grant: its own grant is dropped,
    // and the suppression's withdrawal is older than the grant.
    const { result } = await importCsv(
      `phone,market,whatsapp_marketing,whatsapp_marketing_date,whatsapp_marketing_source\n+48 600 123 456,PL,tak,2026-01-10,formularz v1\n`,
    );
    expect(result).toMatchObject({ ok: true, summary: { new: 0 } });
    expect(await status(shared.ola, 'whatsapp', 'marketing')).toBe('granted');
    expect(await status(shared.aleksandra, 'whatsapp', 'marketing')).toBe('withdrawn');
  });

  it('a marketing-only stop through a shared phone withdraws marketing only, on both records', async () => {
    const lena = await customer({ firstName: 'Lena', market: 'DE', phone: '+49 151 23456789' });
    const magdalena = await customer({ firstName: 'Magdalena', market: 'DE', phone: '0151 23456789' });
    const jonas = await customer({ firstName: 'Jonas', market: 'DE', phone: '0171 9876543' });
    const juergen = await customer({ firstName: 'Jürgen', market: 'DE', phone: '+49 171 9876543' });
    for (const id of [lena, magdalena, jonas, juergen]) await grant(id, 'whatsapp');

    // Meta's "Stop promotions", by the domain function itself.
    const result = await h.db.transaction((tx) =>
      withdrawContactPoint(
        tx,
        {
          kind: 'phone',
          value: '+4915123456789',
          channels: ['whatsapp'],
          purposes: 'marketing',
          occurredAt: new Date(now.getTime() - 60_000),
          source: 'whatsapp_keyword',
          evidence: { messageId: 'wamid.DE1', wording: 'Stop promotions' },
          keyBase: 'whatsapp:wamid.DE1',
          reason: 'whatsapp_opt_out',
        },
        null,
        now,
      ),
    );
    expect(result).toMatchObject({ ok: true, customerIds: [lena, magdalena] });
    // The setting's stop, through the webhook.
    expect(await applyInbound(h.db, intentsOf(userPreference('+491719876543', 'stop', new Date(now.getTime() - 60_000))))).toMatchObject({
      recorded: 2,
    });
    for (const id of [lena, magdalena, jonas, juergen]) {
      expect([await status(id, 'whatsapp', 'marketing'), await status(id, 'whatsapp', 'transactional')]).toEqual(['withdrawn', 'granted']);
    }
    expect(await suppressionsOf('phone', '+4915123456789')).toEqual([
      { channel: 'whatsapp', purpose: 'marketing', source: 'whatsapp_keyword' },
    ]);
    expect(await suppressionsOf('phone', '+491719876543')).toEqual([
      { channel: 'whatsapp', purpose: 'marketing', source: 'whatsapp_setting' },
    ]);

    // A record that gets that phone later starts withdrawn for marketing only: the file's transactional consent stands.
    const third = await customer({ firstName: 'Lena', market: 'DE', email: 'lena.schmidt@example.de', externalId: 'DE-3' });
    const day = now.toISOString().slice(0, 10);
    const { result: imported } = await importCsv(
      [
        'external_id,first_name,phone,market,whatsapp_marketing,whatsapp_marketing_date,whatsapp_marketing_source,whatsapp_transactional,whatsapp_transactional_date,whatsapp_transactional_source',
        `DE-3,Lena,01512 3456789,DE,ja,${day},Bestellformular v2,ja,${day},Bestellformular v2`,
      ].join('\n'),
    );
    expect(imported).toMatchObject({ ok: true, summary: { updated: 1, new: 0 } });
    expect([await status(third, 'whatsapp', 'marketing'), await status(third, 'whatsapp', 'transactional')]).toEqual([
      'withdrawn',
      'granted',
    ]);
    for (const purpose of PURPOSES) {
      const twins = await bothTwins([lena, magdalena, third], 'whatsapp', purpose);
      expect(twins.twin).toEqual(twins.evaluate);
    }
  });

  const complaint = (fields: Record<string, string>) => {
    const parsed = createComplaintSchema.safeParse({
      receivedAt: '2026-03-01T10:00',
      description: 'Dostaję maile, na które się nie zgadzałam',
      kind: 'unwanted_marketing',
      ...fields,
    });
    if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
    return { ...parsed.data, receivedAt: new Date(now.getTime() - 60_000) };
  };

  it('a complaint about an e-mail two records share withdraws both and suppresses the address', async () => {
    const kasia = await customer({ firstName: 'Katarzyna', market: 'PL', email: ' Katarzyna.Wojcik@Example.PL' });
    const kasia2 = await customer({ firstName: 'Kasia', market: 'PL', email: 'katarzyna.wojcik@example.pl' });
    const other = await customer({ firstName: 'Piotr', market: 'PL', email: 'piotr.zielinski@example.pl' });
    for (const id of [kasia, kasia2, other]) await grant(id, 'email');

    const { id, withdrawn } = await createComplaint(
      h.db,
      complaint({ customerId: String(kasia), channel: 'email', withdraw: 'all' }),
      support,
      now,
    );
    expect(withdrawn).toBe(4);
    for (const c of [kasia, kasia2]) {
      expect([await status(c, 'email', 'marketing'), await status(c, 'email', 'transactional')]).toEqual(['withdrawn', 'withdrawn']);
      const events = await h.db
        .select()
        .from(consentEvents)
        .where(and(eq(consentEvents.customerId, c), eq(consentEvents.source, 'complaint')));
      expect(events.map((e) => e.evidence)).toEqual([
        expect.objectContaining({ complaintId: id, contactPoint: 'email' }),
        expect.objectContaining({ complaintId: id, contactPoint: 'email' }),
      ]);
      expect(events.every((e) => e.recordedBy === support)).toBe(true);
    }
    expect(await status(other, 'email', 'marketing')).toBe('granted');
    expect(await suppressionsOf('email', 'katarzyna.wojcik@example.pl')).toEqual([
      { channel: 'email', purpose: null, source: 'complaint' },
    ]);
    const twins = await bothTwins([kasia, kasia2, other], 'email', 'marketing');
    expect(twins).toEqual({ evaluate: ['withdrawn', 'withdrawn', 'consent'], twin: ['withdrawn', 'withdrawn', 'consent'] });
  });

  it('a complaint that names only a phone withdraws the records holding it, for marketing only when asked so', async () => {
    const anna = await customer({ firstName: 'Anna', market: 'PL', phone: '+48 602 345 678' });
    const annaB = await customer({ firstName: 'Anna', market: 'PL', phone: '602345678' });
    for (const id of [anna, annaB]) await grant(id, 'sms');
    const { withdrawn } = await createComplaint(
      h.db,
      complaint({ contactPhone: '602 345 678', market: 'PL', channel: 'sms', withdraw: 'marketing' }),
      support,
      now,
    );
    expect(withdrawn).toBe(2);
    for (const id of [anna, annaB])
      expect([await status(id, 'sms', 'marketing'), await status(id, 'sms', 'transactional')]).toEqual(['withdrawn', 'granted']);
    expect(await suppressionsOf('phone', '+48602345678')).toEqual([{ channel: 'sms', purpose: 'marketing', source: 'complaint' }]);
  });

  it('refuses a withdrawal dated in the future and writes nothing', async () => {
    const before = [await h.db.$count(consentEvents), await h.db.$count(suppressions)];
    const result = await h.db.transaction((tx) =>
      withdrawContactPoint(
        tx,
        {
          kind: 'phone',
          value: '+48600123456',
          channels: null,
          purposes: 'all',
          occurredAt: new Date(now.getTime() + DAY),
          source: 'complaint',
          evidence: {},
          keyBase: 'x',
          reason: 'x',
        },
        null,
        now,
      ),
    );
    expect(result).toMatchObject({ ok: false, code: 'in_future' });
    expect([await h.db.$count(consentEvents), await h.db.$count(suppressions)]).toEqual(before);
  });

  it('withdraws every channel a phone serves when no channel is named, and suppresses it for all channels', async () => {
    const marta = await customer({ firstName: 'Marta', market: 'PL', phone: '+48 603 111 222' });
    await grant(marta, 'sms');
    const result = await h.db.transaction((tx) =>
      withdrawContactPoint(
        tx,
        {
          kind: 'phone',
          value: '+48603111222',
          channels: null,
          purposes: 'all',
          occurredAt: new Date(earlier.getTime() + DAY),
          source: 'support_call',
          evidence: { reason: 'Prosi o usunięcie numeru' },
          keyBase: 'call:1',
          reason: 'support call',
        },
        support,
        now,
      ),
    );
    expect(result).toMatchObject({ ok: true, customerIds: [marta] });
    if (result.ok) expect(result.events).toHaveLength(6);
    expect(await status(marta, 'phone', 'transactional')).toBe('withdrawn');
    expect(await suppressionsOf('phone', '+48603111222')).toEqual([{ channel: null, purpose: null, source: 'support_call' }]);
  });

  it('puts a suppression on records that held the contact point without its withdrawal, once, and never over a newer grant', async () => {
    // Suppressed the way a complaint about a typed-in phone was before it reached the records holding it.
    const tomasz = await customer({ firstName: 'Tomasz', market: 'PL', phone: '+48 604 000 111' });
    const tomek = await customer({ firstName: 'Tomek', market: 'PL', phone: '604000111' });
    const [erased] = await h.db
      .insert(customers)
      .values({ market: 'PL', phone: '+48604000111', source: 'shop_export', erasedAt: earlier })
      .returning({ id: customers.id });
    for (const id of [tomasz, tomek]) await grant(id, 'whatsapp');
    await suppressContact(h.db, {
      kind: 'phone',
      value: '+48604000111',
      channel: 'whatsapp',
      purpose: 'marketing',
      reason: 'complaint 17',
      source: 'complaint',
    });
    // Tomek opted in again after the suppression, with evidence: that stands.
    await grant(tomek, 'whatsapp', ['marketing'], new Date(Date.now() + 1000));

    expect(await applySuppressionsToHolders(h.db, 3)).toEqual({ customers: 1, events: 1 });
    expect([await status(tomasz, 'whatsapp', 'marketing'), await status(tomasz, 'whatsapp', 'transactional')]).toEqual([
      'withdrawn',
      'granted',
    ]);
    expect(await status(tomek, 'whatsapp', 'marketing')).toBe('granted');
    expect(await h.db.$count(consentEvents, eq(consentEvents.customerId, erased!.id))).toBe(0);
    const [event] = await h.db
      .select()
      .from(consentEvents)
      .where(and(eq(consentEvents.customerId, tomasz), eq(consentEvents.source, 'suppression')));
    expect(event?.evidence).toEqual({ reason: 'complaint 17', contactPoint: 'phone' });
    expect(await applySuppressionsToHolders(h.db)).toEqual({ customers: 0, events: 0 });
    // The first start after the upgrade runs it once and leaves a mark; later starts do nothing.
    expect(await applySuppressionsOnce(h.db)).toEqual({ customers: 0, events: 0 });
    expect(await applySuppressionsOnce(h.db)).toBeNull();
    const twins = await bothTwins([tomasz, tomek], 'whatsapp', 'marketing');
    expect(twins).toEqual({ evaluate: ['withdrawn', 'consent'], twin: ['withdrawn', 'consent'] });
  });
});
