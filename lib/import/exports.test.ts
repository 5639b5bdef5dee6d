import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { DbHandle } from '@/db';
import { consentEvents, consentEvidencePersonal, customers } from '@/db/schema';
import { createTestDb, testDrivers } from '@/db/testing';
import { ensureDefaultPolicies } from '@/lib/consent-store/policies';
import { createBatch } from './batches';
import { detectPreset, guessMapping } from './fields';
import { FRENCH_EXPORT, GERMAN_EXPORT, SHOPIFY_EXPORT, encodeWindows, polishExport, uploadFile } from './fixtures';
import type { CsvFormat } from './read';
import { ImportFileError, sniffFile } from './read';
import { commitImport } from './commit';
import { dryRun } from './dry-run';
import type { ImportOptions } from './validate';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zgoda-exports-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
function file(content: string | Uint8Array): string {
  const p = path.join(dir, `e${++fileNo}.csv`);
  fs.writeFileSync(p, content);
  return p;
}

const NOW = new Date('2026-11-20T12:00:00Z');

/** Uploads, maps as the mapping step proposes without a touch, and runs the dry run. */
async function importFile(h: DbHandle, p: string, options: ImportOptions = {}, format: Partial<CsvFormat> = {}) {
  const upload = await uploadFile(h.db, p);
  const sniff = await sniffFile(upload.file, format);
  const mapping = guessMapping(sniff.header, detectPreset(sniff.header), sniff.preview);
  const batchId = await createBatch(h.db, {
    fileName: path.basename(p),
    sha256: upload.sha256,
    fileKey: upload.fileKey,
    createdBy: null,
    sniff,
  });
  const settings = { format: { encoding: sniff.encoding, delimiter: sniff.delimiter, relaxQuotes: sniff.relaxQuotes }, mapping, options };
  const summary = await dryRun(h.db, batchId, upload.file, settings, undefined, NOW);
  return { sniff, mapping, summary, commit: () => commitImport(h.db, batchId, null) };
}

/** A customer's ledger as "channel purpose kind date proof" lines, sorted; an answer without a date is dated at the commit. */
async function ledgerOf(h: DbHandle, externalId: string): Promise<string[]> {
  const [c] = await h.db.select({ id: customers.id }).from(customers).where(eq(customers.externalId, externalId));
  if (!c) return ['no customer'];
  const events = await h.db.select().from(consentEvents).where(eq(consentEvents.customerId, c.id));
  // The IP is identifying evidence, kept beside the ledger where erasure can remove it; the ledger must not hold it.
  const personal = new Map(
    (await h.db.select().from(consentEvidencePersonal).where(eq(consentEvidencePersonal.customerId, c.id))).map((p) => [
      p.eventId,
      p.evidence,
    ]),
  );
  return events
    .map((e) => {
      const ip = personal.get(e.id)?.ip;
      const leaked = e.evidence.ip ? ' ip in the ledger' : '';
      return `${e.channel} ${e.purpose} ${e.kind} ${e.occurredAt < NOW ? e.occurredAt.toISOString().slice(0, 16) : 'undated'} ${e.evidence.proofReference ?? '-'}${ip ? ` ip ${ip}` : ''}${leaked}`;
    })
    .sort();
}

describe.each(testDrivers())('shop exports as they are, on %s', (driver) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await createTestDb(driver);
    await ensureDefaultPolicies(h.db);
  });
  afterAll(async () => h?.close());

  it('a Polish Windows-1250 export: six consent columns recognised, one source serving both channels', async () => {
    const { sniff, mapping, summary, commit } = await importFile(h, file(encodeWindows(polishExport('PL'), 'windows-1250')));
    expect(sniff).toMatchObject({ encoding: 'windows-1250', delimiter: ';' });
    expect(mapping.slice(6)).toEqual([
      'email.marketing',
      'email.marketing.date',
      'whatsapp.marketing',
      'whatsapp.marketing.date',
      'consent.source',
    ]);
    expect(summary).toMatchObject({
      rows: 4,
      new: 4,
      rejected: 0,
      warned: 1,
      events: { email: 2, whatsapp: 3, sms: 0, phone: 0 },
      ignoredConsentColumns: [],
    });
    expect(summary.firstWarnings.map((w) => [w.row, w.code, w.column])).toEqual([
      [3, 'consent_without_evidence', 'Zgoda e-mail marketing'],
      [3, 'consent_without_evidence', 'Zgoda WhatsApp marketing'],
    ]);
    await commit();
    expect(await ledgerOf(h, 'PL-2')).toEqual([
      'email marketing withdrawn 2026-02-01T10:22 formularz rejestracji v2',
      'whatsapp marketing granted 2026-03-14T18:05 formularz rejestracji v2',
    ]);
    expect(await ledgerOf(h, 'PL-4')).toEqual(['whatsapp marketing granted 2026-04-01T00:00 checkout']);
    expect(await ledgerOf(h, 'PL-3')).toEqual([]);
    const [c] = await h.db.select().from(customers).where(eq(customers.externalId, 'PL-2'));
    expect(c).toMatchObject({ firstName: 'Paweł', lastName: 'Żółkiewski', phone: '+48601234567', market: 'PL' });
  });

  it('a German Excel export: one date and one source column for both consents, ja/nein and WAHR', async () => {
    const { mapping, summary, commit } = await importFile(h, file(encodeWindows(GERMAN_EXPORT, 'windows-1252')));
    expect(mapping).toEqual([
      'externalId',
      null,
      'firstName',
      'lastName',
      'email',
      'phone',
      'market',
      'email.marketing',
      'whatsapp.marketing',
      'consent.date',
      'consent.source',
    ]);
    expect(summary).toMatchObject({ rows: 3, new: 3, rejected: 0, events: { email: 3, whatsapp: 2 } });
    await commit();
    expect(await ledgerOf(h, '10001')).toEqual([
      'email marketing granted 2026-02-03T00:00 Double-Opt-In Newsletter-Formular',
      'whatsapp marketing withdrawn 2026-02-03T00:00 Double-Opt-In Newsletter-Formular',
    ]);
    expect(await ledgerOf(h, '10002')).toEqual([
      'email marketing granted 2026-03-14T10:22 Kundenkonto Checkbox',
      'whatsapp marketing granted 2026-03-14T10:22 Kundenkonto Checkbox',
    ]);
    const [c] = await h.db.select().from(customers).where(eq(customers.externalId, '10003'));
    expect(c).toMatchObject({ firstName: 'Ömer', lastName: 'Öztürk', market: 'AT', phone: '+436641234567' });
  });

  it('a French UTF-8 export with a byte order mark: oui/non, dates as 14/03/2026', async () => {
    const { mapping, summary, commit } = await importFile(h, file(FRENCH_EXPORT));
    expect(mapping).toEqual([
      'externalId',
      'firstName',
      'lastName',
      'email',
      'phone',
      'market',
      'email.marketing',
      'sms.marketing',
      'consent.date',
      'consent.source',
    ]);
    expect(summary).toMatchObject({ rows: 2, new: 2, rejected: 0, warned: 0, events: { email: 2, sms: 2 } });
    await commit();
    expect(await ledgerOf(h, 'FR-502')).toEqual([
      'email marketing withdrawn 2026-01-02T09:15 caisse en magasin',
      'sms marketing granted 2026-01-02T09:15 caisse en magasin',
    ]);
  });

  it('PrestaShop’s customer table: the newsletter with its date and the IP as evidence, partner offers flagged', async () => {
    const text = [
      'id_customer;id_lang;firstname;lastname;email;newsletter;ip_registration_newsletter;newsletter_date_add;optin;date_add',
      '501;1;Marta;Kaczmarek;marta@example.pl;1;83.12.45.201;2026-03-14 10:22:31;1;2025-11-02 08:00:00',
      '502;2;Lukas;Becker;lukas@example.de;0;;0000-00-00 00:00:00;0;2025-12-01 09:00:00',
    ].join('\n');
    const { summary, commit } = await importFile(h, file(text), { defaultMarket: 'PL', consentSource: 'PrestaShop newsletter block' });
    expect(summary).toMatchObject({ rows: 2, new: 2, rejected: 0, ignoredConsentColumns: ['optin'] });
    await commit();
    expect(await ledgerOf(h, '501')).toEqual(['email marketing granted 2026-03-14T10:22 PrestaShop newsletter block ip 83.12.45.201']);
    // MySQL's zero date is no date: the "no" is kept as an undated withdrawal, not refused as a bad date.
    expect(await ledgerOf(h, '502')).toEqual(['email marketing withdrawn undated PrestaShop newsletter block']);
  });

  it('names the row of a Shopify export’s unquoted formula, and reads it leniently with the row as a warning', async () => {
    const p = file(SHOPIFY_EXPORT);
    const strict = await importFile(h, p).catch((e: unknown) => e);
    expect(strict).toBeInstanceOf(ImportFileError);
    expect(strict).toMatchObject({ problem: 'malformed', row: 2, line: 3, malformation: { code: 'INVALID_OPENING_QUOTE', quoting: true } });
    const options = { consentSource: 'Shopify checkout', consentDate: new Date('2026-01-01T00:00:00Z') };
    const { summary, commit } = await importFile(h, p, options, { relaxQuotes: true });
    expect(summary).toMatchObject({ rows: 3, new: 3, rejected: 0, events: { email: 3, sms: 3 } });
    expect(summary.firstWarnings.map((w) => [w.row, w.line, w.code, w.column, w.value])).toEqual([
      [2, 3, 'stray_quote', 'Note', '=HYPERLINK("http://evil.example")'],
    ]);
    await commit();
    expect(await ledgerOf(h, '7303')).toEqual([
      'email marketing granted 2026-01-01T00:00 Shopify checkout',
      'sms marketing granted 2026-01-01T00:00 Shopify checkout',
    ]);
  });

  it('counts the consent columns the mapping leaves out, in the dry run', async () => {
    const text = 'E-mail;Kraj;Zgoda marketingowa;Zgoda SMS;Zgoda na regulamin\nola@example.pl;PL;tak;tak;tak\n';
    const p = file(text);
    const upload = await uploadFile(h.db, p);
    const sniff = await sniffFile(upload.file);
    const batchId = await createBatch(h.db, { fileName: 'x.csv', sha256: upload.sha256, fileKey: upload.fileKey, createdBy: null, sniff });
    const mapping = ['email', 'market', null, null, null] as const;
    const summary = await dryRun(h.db, batchId, upload.file, { format: sniff, mapping: [...mapping], options: {} }, undefined, NOW);
    expect(summary.ignoredConsentColumns).toEqual(['Zgoda marketingowa', 'Zgoda SMS']);
  });
});
