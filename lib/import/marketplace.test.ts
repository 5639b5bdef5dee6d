// Amazon buyers through the import: marked from relay addresses and the order source, counted in the dry run, blocked
// by `marketplace_policy` everywhere a decision is taken, until they consent through the seller's own channel.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { DbHandle } from '@/db';
import { consentState, customers } from '@/db/schema';
import { createTestDb, testDrivers } from '@/db/testing';
import type { Channel, Purpose } from '@/lib/consent';
import { AMAZON_STORE_DOMAINS, CHANNELS, PURPOSES, UNKNOWN_STATE, evaluate, isAmazonRelayEmail, resolvePolicy } from '@/lib/consent';
import { reasonsByCustomer } from '@/lib/consent-store/eligibility';
import { ensureDefaultPolicies, loadPolicies } from '@/lib/consent-store/policies';
import { recordConsentEvent } from '@/lib/consent-store/record';
import { marketplaceCounts } from '@/lib/coverage/queries';
import { audienceCounts } from '@/lib/messages/audience';
import { createBatch } from './batches';
import { detectPreset, guessMapping } from './fields';
import { uploadFile } from './fixtures';
import { sniffFile } from './read';
import { commitImport } from './commit';
import { dryRun } from './dry-run';

const NOW = new Date('2026-11-20T12:00:00Z');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zgoda-marketplace-'));

// A German seller's customer export: Amazon orders and the own shop's in one file, semicolons, the sales channel as
// the shop system writes it.
const FILE = [
  'Kundennummer;Vorname;Nachname;E-Mail;Telefon;Land;Vertriebskanal;whatsapp_marketing;whatsapp_marketing_date;whatsapp_marketing_source',
  'K-1001;Lena;Schmidt;3kx9v2m7q1@marketplace.amazon.de;0151 2345678;DE;Amazon.de;ja;2026-03-14;Amazon Bestellung',
  'K-1002;Jonas;Weber;JONAS7Q4ZR@Marketplace.Amazon.De;0151 2345679;DE;;;;',
  'K-1003;Anna;Nowak;anna.nowak@wp.pl;600 123 456;PL;zamówienie Amazon;;;',
  'K-1004;Marie;Dubois;marie.dubois@orange.fr;06 12 34 56 78;FR;Webshop;oui;2026-03-14;case à cocher checkout v2',
  'K-1005;Piotr;Zieliński;;600 123 457;PL;FBA;;;',
  'K-1006;Tomasz;Wójcik;tomasz@marketplace.amazon.de.example.com;600 123 458;PL;Shopify;;;',
].join('\r\n');

describe.each(testDrivers())('Amazon buyers in an import on %s', (driver) => {
  let h: DbHandle;
  const ids = new Map<string, number>();
  beforeAll(async () => {
    h = await createTestDb(driver);
    await ensureDefaultPolicies(h.db);
  });
  afterAll(async () => h?.close());

  /** The SQL twin's reason for one customer, checked against evaluate on the same row and state. */
  const reason = async (externalId: string, channel: Channel, purpose: Purpose) => {
    const id = ids.get(externalId)!;
    const fromSql = (await reasonsByCustomer(h.db, channel, purpose, NOW, sql`c.id = ${id}`)).get(id);
    const [c] = await h.db.select().from(customers).where(eq(customers.id, id));
    const [s] = await h.db
      .select()
      .from(consentState)
      .where(eq(consentState.customerId, id))
      .then((rows) => rows.filter((r) => r.channel === channel && r.purpose === purpose));
    const policy = resolvePolicy(await loadPolicies(h.db), c!.market, channel, purpose);
    expect(evaluate(c!, channel, purpose, s ?? UNKNOWN_STATE, policy, NOW).reason).toBe(fromSql);
    return fromSql;
  };

  it('computes customers.email_relay as isAmazonRelayEmail does, for relays in every store, any case, and look-alikes', async () => {
    const emails = [
      ...AMAZON_STORE_DOMAINS.map((d) => `q1w2e3r4@marketplace.amazon.${d}`),
      'Q1W2E3R4@MARKETPLACE.AMAZON.CO.UK',
      'q1@eu.Marketplace.Amazon.fr',
      'q1@a.b.marketplace.amazon.com',
      'marketplace.amazon.de@marketplace.amazon.de',
      'kontakt@amazon.de',
      'x@marketplace.amazon.de.example.com',
      'x@marketplaceamazon.de',
      'x@notmarketplace.amazon.de',
      'marketplace.amazon.de@gmail.com',
      'x@marketplace.amazon.xyz',
      'x@marketplace.amazon.',
      'x@marketplace.amazon.de.',
      'ſ@marketplace.amazon.de',
      'x@mar\u212Aetplace.amazon.de',
      'anna.schmidt@web.de',
    ];
    const rows = await h.db
      .insert(customers)
      .values(emails.map((email, i) => ({ market: 'DE', email, source: 'test', externalId: `relay-${i}` })))
      .returning({ email: customers.email, emailRelay: customers.emailRelay });
    expect(rows.map((r) => [r.email, r.emailRelay])).toEqual(emails.map((e) => [e, isAmazonRelayEmail(e)]));
    expect(rows.filter((r) => r.emailRelay).length).toBe(AMAZON_STORE_DOMAINS.length + 5);
    await h.db.execute(sql`update customers set erased_at = now() where source = 'test'`);
  });

  it('marks relay addresses and Amazon order sources, warns with the count in the dry run, and blocks them', async () => {
    const p = path.join(dir, 'kunden.csv');
    fs.writeFileSync(p, FILE);
    const upload = await uploadFile(h.db, p);
    const sniff = await sniffFile(upload.file);
    const mapping = guessMapping(sniff.header, detectPreset(sniff.header));
    expect(mapping[6]).toBe('orderSource');
    const batchId = await createBatch(h.db, {
      fileName: 'kunden.csv',
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
      NOW,
    );
    expect(summary).toMatchObject({ rows: 6, new: 6, rejected: 0, marketplace: 4 });

    const committed = await commitImport(h.db, batchId, null);
    expect(committed.ok).toBe(true);
    const rows = await h.db
      .select({ id: customers.id, externalId: customers.externalId, marketplace: customers.marketplace, emailRelay: customers.emailRelay })
      .from(customers)
      .where(eq(customers.importBatchId, batchId));
    for (const r of rows) ids.set(r.externalId!, r.id);
    expect(Object.fromEntries(rows.map((r) => [r.externalId, [r.marketplace, r.emailRelay]]))).toEqual({
      'K-1001': ['amazon', true],
      'K-1002': ['amazon', true],
      'K-1003': ['amazon', false],
      'K-1004': [null, false],
      'K-1005': ['amazon', false],
      'K-1006': [null, false],
    });

    // The imported "ja" with a date and source is recorded, but it is Amazon's data, not consent given to the seller.
    expect(await reason('K-1001', 'whatsapp', 'marketing')).toBe('marketplace_policy');
    expect(await reason('K-1004', 'whatsapp', 'marketing')).toBe('consent');
    // Order messages too: Amazon allows them only through Buyer-Seller Messaging.
    expect(await reason('K-1002', 'email', 'transactional')).toBe('marketplace_policy');
    expect(await reason('K-1005', 'sms', 'transactional')).toBe('marketplace_policy');
    expect(await reason('K-1006', 'email', 'transactional')).toBe('no_consent_required');
    expect(await reason('K-1005', 'email', 'marketing')).toBe('no_contact_point');

    // Coverage and the audience of a WhatsApp marketing message count them as blocked by Amazon's rules.
    const counts = await marketplaceCounts({}, { now: NOW }, h.db);
    expect(counts.buyers).toBe(4);
    expect(counts.blocked.find((b) => b.channel === 'whatsapp' && b.purpose === 'marketing')?.n).toBe(4);
    const audience = await audienceCounts(h.db, 'marketing', { markets: [] }, NOW);
    expect(audience.blocked.marketplace_policy).toBe(4);
    expect(audience.allowed).toBe(1);
  });

  it('re-importing the same customers from the own shop keeps them Amazon buyers', async () => {
    const p = path.join(dir, 'shop.csv');
    fs.writeFileSync(p, ['Kundennummer;E-Mail;Land;Vertriebskanal', 'K-1003;anna.nowak@wp.pl;PL;Webshop'].join('\r\n'));
    const upload = await uploadFile(h.db, p);
    const sniff = await sniffFile(upload.file);
    const batchId = await createBatch(h.db, {
      fileName: 'shop.csv',
      sha256: upload.sha256,
      fileKey: upload.fileKey,
      createdBy: null,
      sniff,
    });
    const mapping = guessMapping(sniff.header, detectPreset(sniff.header));
    const summary = await dryRun(
      h.db,
      batchId,
      upload.file,
      { format: { encoding: sniff.encoding, delimiter: sniff.delimiter }, mapping, options: {} },
      undefined,
      NOW,
    );
    expect(summary).toMatchObject({ rows: 1, marketplace: 0 });
    expect((await commitImport(h.db, batchId, null)).ok).toBe(true);
    const [c] = await h.db
      .select({ marketplace: customers.marketplace })
      .from(customers)
      .where(eq(customers.id, ids.get('K-1003')!));
    expect(c?.marketplace).toBe('amazon');
  });

  it('a grant through the seller’s own channel opens that channel and purpose only', async () => {
    const anna = ids.get('K-1003')!;
    // A WhatsApp reply is no own channel: the conversation began with Amazon's data.
    await recordConsentEvent(
      h.db,
      {
        customerId: anna,
        channel: 'whatsapp',
        purpose: 'transactional',
        kind: 'granted',
        occurredAt: new Date('2026-11-10T09:00:00Z'),
        source: 'whatsapp_keyword',
        evidence: { messageId: 'wamid.HBgLNDg2MDAxMjM0NTYVAgASGBQzQTRGMkE' },
      },
      null,
      NOW,
    );
    expect(await reason('K-1003', 'whatsapp', 'transactional')).toBe('marketplace_policy');

    // Support records Anna's WhatsApp marketing consent from a call, with evidence: WhatsApp marketing opens.
    const recorded = await recordConsentEvent(
      h.db,
      {
        customerId: anna,
        channel: 'whatsapp',
        purpose: 'marketing',
        kind: 'granted',
        occurredAt: new Date('2026-11-12T14:30:00Z'),
        source: 'support_call',
        evidence: { wording: 'Zgoda na oferty przez WhatsApp, rozmowa 12.11.2026', proofReference: 'nagranie rozmowy #4471' },
      },
      null,
      NOW,
    );
    expect(recorded.ok).toBe(true);
    const decisions = Object.fromEntries(
      await Promise.all(
        CHANNELS.flatMap((channel) =>
          PURPOSES.map(async (purpose) => [`${channel} ${purpose}`, await reason('K-1003', channel, purpose)] as const),
        ),
      ),
    );
    expect(decisions).toEqual({
      'email marketing': 'marketplace_policy',
      'email transactional': 'marketplace_policy',
      'sms marketing': 'marketplace_policy',
      'sms transactional': 'marketplace_policy',
      'whatsapp marketing': 'consent',
      'whatsapp transactional': 'marketplace_policy',
      'phone marketing': 'marketplace_policy',
      'phone transactional': 'marketplace_policy',
    });

    // Coverage follows: one Amazon buyer fewer is blocked on WhatsApp marketing, and the audience gains her.
    const counts = await marketplaceCounts({}, { now: NOW }, h.db);
    expect(counts.blocked.find((b) => b.channel === 'whatsapp' && b.purpose === 'marketing')?.n).toBe(3);
    const audience = await audienceCounts(h.db, 'marketing', { markets: ['PL'] }, NOW);
    expect(audience.allowed).toBe(1);
    expect(audience.blocked.marketplace_policy).toBe(1);
    // The twin, customer by customer, agrees with the aggregates.
    const twin = await reasonsByCustomer(h.db, 'whatsapp', 'marketing', NOW);
    expect([...twin.values()].filter((r) => r === 'marketplace_policy').length).toBe(3);
  });
});
