import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eq, sql } from 'drizzle-orm';
import type { DbHandle } from '@/db';
import { rowsOf } from '@/db/sql';
import { consentEvents, consentState, customers, importBatches, suppressions } from '@/db/schema';
import { createTestDb, testDrivers } from '@/db/testing';
import { ensureDefaultPolicies } from '@/lib/consent-store/policies';
import { recordConsentEvent } from '@/lib/consent-store/record';
import { suppressContact } from '@/lib/suppressions';
import { applyInbound } from '@/lib/whatsapp/inbound';
import { diskFile } from '@/lib/files/store';
import { createBatch, discardImport, rereadImport } from './batches';
import { detectPreset, guessMapping } from './fields';
import { uploadFile } from './fixtures';
import { ImportFileError, sniffFile } from './read';
import { commitImport } from './commit';
import { ImportNotOpen, dryRun } from './dry-run';
import type { ImportOptions } from './validate';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zgoda-import-'));
let fileNo = 0;
function file(content: string | Uint8Array): string {
  const p = path.join(dir, `f${++fileNo}.csv`);
  fs.writeFileSync(p, content);
  return p;
}

const NOW = new Date('2026-11-20T12:00:00Z');

async function importFile(h: DbHandle, p: string, options: ImportOptions = {}) {
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
  const settings = { format: { encoding: sniff.encoding, delimiter: sniff.delimiter }, mapping, options };
  const summary = await dryRun(h.db, batchId, upload.file, settings, undefined, NOW);
  return { batchId, summary, commit: () => commitImport(h.db, batchId, null) };
}

const stateOf = async (
  h: DbHandle,
  externalId: string,
  channel: 'email' | 'whatsapp' | 'sms',
  purpose: 'marketing' | 'transactional' = 'marketing',
) => {
  const [c] = await h.db.select({ id: customers.id }).from(customers).where(eq(customers.externalId, externalId));
  if (!c) return 'no customer';
  const rows = await h.db
    .select({ status: consentState.status, channel: consentState.channel, purpose: consentState.purpose })
    .from(consentState)
    .where(eq(consentState.customerId, c.id));
  return rows.find((r) => r.channel === channel && r.purpose === purpose)?.status ?? 'unknown';
};

/** A customer's ledger as "channel purpose kind source" lines, sorted. */
const ledgerOf = async (h: DbHandle, externalId: string) => {
  const [c] = await h.db.select({ id: customers.id }).from(customers).where(eq(customers.externalId, externalId));
  if (!c) return [];
  const events = await h.db
    .select({ channel: consentEvents.channel, purpose: consentEvents.purpose, kind: consentEvents.kind, source: consentEvents.source })
    .from(consentEvents)
    .where(eq(consentEvents.customerId, c.id));
  return events.map((e) => `${e.channel} ${e.purpose} ${e.kind} ${e.source}`).sort();
};

const TEMPLATE = [
  'external_id,first_name,last_name,email,phone,market,email_marketing,email_marketing_date,email_marketing_source,whatsapp_marketing,whatsapp_marketing_date',
  'A1,Anna,Nowak,anna@example.pl,600 123 456,PL,tak,2026-03-14,"checkout checkbox, form v3",nie,2026-04-01',
  'A2,Jan,Kowalski,not-an-email,600 123 457,PL,yes,2026-03-14,web form,,',
  'A3,Lena,Schmidt,lena@example.de,0151 2345678,Deutschland,ja,,,,',
  'A4,Eva,Klein,anna@example.pl,0151 2345679,DE,,,,,',
  'A5,Marc,Dubois,marc@example.fr,,France,oui,14.03.2026,newsletter form,,',
].join('\r\n');

describe.each(testDrivers())('customer import on %s', (driver) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await createTestDb(driver);
    await ensureDefaultPolicies(h.db);
  });
  afterAll(async () => h?.close());

  it('dry run counts what a commit would do and writes nothing', async () => {
    const { summary } = await importFile(h, file(TEMPLATE));
    expect(summary).toMatchObject({ rows: 5, new: 3, updated: 0, unchanged: 0, rejected: 2, warned: 1 });
    expect(summary.events).toMatchObject({ email: 2, whatsapp: 1, sms: 0, phone: 0 });
    expect(summary.firstErrors.map((e) => [e.row, e.code, e.column, e.value])).toEqual([
      [2, 'invalid_email', 'email', 'not-an-email'],
      [4, 'duplicate_email', 'email', 'anna@example.pl'],
    ]);
    expect(summary.firstErrors[1]?.otherRow).toBe(1);
    expect(summary.firstWarnings.map((w) => [w.row, w.code, w.column])).toEqual([[3, 'consent_without_evidence', 'email_marketing']]);
    expect(await h.db.$count(customers)).toBe(0);
    expect(await h.db.$count(consentEvents)).toBe(0);
  });

  it('commits customers, events and state; a "yes" without evidence stays unknown; a "no" is a withdrawal', async () => {
    const { commit } = await importFile(h, file(TEMPLATE));
    const result = await commit();
    expect(result).toMatchObject({ ok: true, eventsWritten: 3 });
    expect(await h.db.$count(customers)).toBe(3);
    expect(await stateOf(h, 'A1', 'email')).toBe('granted');
    expect(await stateOf(h, 'A1', 'whatsapp')).toBe('withdrawn');
    expect(await stateOf(h, 'A3', 'email')).toBe('unknown');
    expect(await stateOf(h, 'A5', 'email')).toBe('granted');
    const [anna] = await h.db.select().from(customers).where(eq(customers.externalId, 'A1'));
    expect(anna).toMatchObject({ phone: '+48600123456', market: 'PL', source: 'import' });
    const [lena] = await h.db.select().from(customers).where(eq(customers.externalId, 'A3'));
    expect(lena).toMatchObject({ phone: '+491512345678', market: 'DE' });
    const [event] = await h.db.select().from(consentEvents).where(eq(consentEvents.customerId, anna!.id)).limit(1);
    expect(event?.evidence).toMatchObject({ importRow: 1 });
  });

  it('writes nothing the second time the same file is imported', async () => {
    const events = await h.db.$count(consentEvents);
    const { summary, commit } = await importFile(h, file(TEMPLATE));
    expect(summary).toMatchObject({ new: 0, updated: 0, unchanged: 3, rejected: 2 });
    expect(summary.events).toMatchObject({ email: 0, whatsapp: 0 });
    expect(await commit()).toMatchObject({ ok: true, eventsWritten: 0 });
    expect(await h.db.$count(consentEvents)).toBe(events);
    expect(await h.db.$count(customers)).toBe(3);
  });

  it('matches rows without an external id by e-mail, then phone, and counts only the answers the ledger lacks', async () => {
    const ids = async () =>
      Object.fromEntries((await h.db.select({ id: customers.id, ext: customers.externalId }).from(customers)).map((c) => [c.ext, c.id]));
    const before = await ids();
    const p = file(
      [
        'external_id,first_name,email,phone,market,email_marketing,email_marketing_date,email_marketing_source,whatsapp_marketing,whatsapp_marketing_date,whatsapp_marketing_source',
        // Anna by e-mail: her e-mail grant is in the ledger, the WhatsApp grant is new (but cannot undo her withdrawal).
        ',,anna@example.pl,,PL,tak,2026-03-14,"checkout checkbox, form v3",tak,2026-05-02,web form',
        // Lena by phone, in another format: nothing new.
        ',,,+49 151 2345678,DE,,,,,,',
        // Marc by external id, with a new first name and nothing else new.
        'A5,Marcel,,,FR,oui,2026-03-14,newsletter form,,,',
        // Nobody yet.
        ',,new@example.de,,DE,ja,2026-10-01,web form,,,',
      ].join('\n'),
    );
    const { summary, commit } = await importFile(h, p);
    expect(summary).toMatchObject({ rows: 4, new: 1, updated: 2, unchanged: 1, rejected: 0 });
    expect(summary.events).toMatchObject({ email: 1, whatsapp: 1, sms: 0, phone: 0 });
    const events = await h.db.$count(consentEvents);
    expect(await commit()).toMatchObject({ ok: true, eventsWritten: 2 });
    expect(await h.db.$count(consentEvents)).toBe(events + 2);
    expect(await stateOf(h, 'A1', 'whatsapp')).toBe('withdrawn');
    const after = await ids();
    expect(Object.keys(after)).toHaveLength(Object.keys(before).length + 1);
    const [marc] = await h.db
      .select({ id: customers.id, firstName: customers.firstName })
      .from(customers)
      .where(eq(customers.externalId, 'A5'));
    expect(marc).toEqual({ id: before.A5, firstName: 'Marcel' });
  });

  it('never overturns a later withdrawal, whatever the file says', async () => {
    const [anna] = await h.db.select({ id: customers.id }).from(customers).where(eq(customers.externalId, 'A1'));
    await recordConsentEvent(
      h.db,
      {
        customerId: anna!.id,
        channel: 'email',
        purpose: 'marketing',
        kind: 'withdrawn',
        occurredAt: new Date('2026-06-01T00:00:00Z'),
        source: 'support_call',
        evidence: { reason: 'asked by phone' },
      },
      null,
    );
    const later = TEMPLATE.replace('tak,2026-03-14', 'tak,2026-09-01');
    const { commit } = await importFile(h, file(later));
    expect(await commit()).toMatchObject({ ok: true, eventsWritten: 1 });
    expect(await stateOf(h, 'A1', 'email')).toBe('withdrawn');
  });

  it('keeps a suppressed contact point withdrawn for a customer it has never seen', async () => {
    await suppressContact(h.db, {
      kind: 'phone',
      value: '+48600999111',
      channel: 'whatsapp',
      reason: 'STOP from an unknown sender',
      source: 'whatsapp_keyword',
    });
    const p = file(
      'external_id,phone,market,whatsapp_marketing,whatsapp_marketing_date,whatsapp_marketing_source\nS1,600 999 111,PL,yes,2026-10-01,web form\n',
    );
    const { summary, commit } = await importFile(h, p);
    expect(summary.firstWarnings.map((w) => [w.row, w.code, w.value])).toEqual([[1, 'suppressed_contact', 'whatsapp']]);
    expect(await commit()).toMatchObject({ ok: true });
    expect(await stateOf(h, 'S1', 'whatsapp')).toBe('withdrawn');
    expect(await stateOf(h, 'S1', 'whatsapp', 'transactional')).toBe('withdrawn');
  });

  it('writes a withdrawal once when the file and a suppression bring it for the same second', async () => {
    // Suppressed on all channels first, then once more on WhatsApp: the earliest suppression speaks for each channel.
    await suppressContact(h.db, { kind: 'phone', value: '+48600999222', channel: null, reason: 'asked by phone', source: 'support' });
    const [s] = rowsOf<{ created_at: string | Date }>(
      await h.db.execute(sql`select created_at from suppressions order by id desc limit 1`),
    );
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await suppressContact(h.db, { kind: 'phone', value: '+48600999222', channel: 'whatsapp', reason: 'STOP', source: 'whatsapp_keyword' });
    const p = file('external_id,phone,market,whatsapp_marketing\nS2,600 999 222,PL,nie\n');
    const { commit } = await importFile(h, p, { consentDate: new Date(s!.created_at), consentSource: 'support ticket' });
    expect(await commit()).toMatchObject({ ok: true, eventsWritten: 6 });
    expect(await ledgerOf(h, 'S2')).toEqual([
      'phone marketing withdrawn suppression',
      'phone transactional withdrawn suppression',
      'sms marketing withdrawn suppression',
      'sms transactional withdrawn suppression',
      'whatsapp marketing withdrawn import',
      'whatsapp transactional withdrawn suppression',
    ]);
    expect(await stateOf(h, 'S2', 'whatsapp')).toBe('withdrawn');
  });

  it('writes nothing when a commit fails halfway, and the batch can be committed again', async () => {
    const before = [await h.db.$count(customers), await h.db.$count(consentEvents), await h.db.$count(consentState)];
    const { batchId } = await importFile(
      h,
      file('external_id,market,email_marketing,email_marketing_date,email_marketing_source\nF1,PL,yes,2026-01-01,form v1\n'),
    );
    const failing = commitImport(h.db, batchId, null, (p) => {
      if (p.phase === 'state') throw new Error('disk full');
    });
    await expect(failing).rejects.toThrow('disk full');
    expect([await h.db.$count(customers), await h.db.$count(consentEvents), await h.db.$count(consentState)]).toEqual(before);
    expect(await commitImport(h.db, batchId, null)).toMatchObject({ ok: true, eventsWritten: 1 });
    expect(await stateOf(h, 'F1', 'email')).toBe('granted');
  });

  it('reading the file again drops the last dry run and its staging rows', async () => {
    const p = file('external_id;market\nR1;PL\n');
    const { batchId } = await importFile(h, p);
    const staged = async () =>
      rowsOf<{ n: number }>(await h.db.execute(sql`select count(*)::int as n from import_rows where batch_id = ${batchId}`))[0]!.n;
    expect(await staged()).toBe(1);
    await rereadImport(h.db, batchId, await sniffFile(diskFile(p), { delimiter: ',' }));
    expect(await staged()).toBe(0);
    const [batch] = await h.db.select().from(importBatches).where(eq(importBatches.id, batchId));
    expect(batch).toMatchObject({ rowsTotal: 0, options: { sniff: { delimiter: ',', header: ['external_id;market'] } } });
    expect(batch!.options).not.toHaveProperty('summary');
  });

  it('refuses to commit a batch twice', async () => {
    const { commit } = await importFile(h, file('external_id,market\nT1,PL\n'));
    expect(await commit()).toMatchObject({ ok: true });
    expect(await commit()).toEqual({ ok: false, reason: 'not_ready' });
  });

  it('keeps a committed batch, which its customers name: no delete, no new id or status, no truncate', async () => {
    const p = file('external_id,market\nT2,PL\n');
    const { batchId, commit } = await importFile(h, p);
    expect(await commit()).toMatchObject({ ok: true });
    expect(await rereadImport(h.db, batchId, await sniffFile(diskFile(p)))).toBe(false);
    await expect(h.db.delete(importBatches).where(eq(importBatches.id, batchId))).rejects.toThrow();
    await expect(h.db.update(importBatches).set({ status: 'dry_run' }).where(eq(importBatches.id, batchId))).rejects.toThrow();
    await expect(h.db.execute(sql`update import_batches set id = id + 1000 where id = ${batchId}`)).rejects.toThrow();
    await expect(h.db.execute(sql`truncate import_batches cascade`)).rejects.toThrow();
    expect(await discardImport(h.db, batchId)).toBe(false);
    const [t2] = await h.db.select({ batch: customers.importBatchId }).from(customers).where(eq(customers.externalId, 'T2'));
    expect(t2?.batch).toBe(batchId);
    const [batch] = await h.db.select({ status: importBatches.status }).from(importBatches).where(eq(importBatches.id, batchId));
    expect(batch?.status).toBe('committed');
  });

  it('runs no dry run of a committed or discarded batch', async () => {
    const p = file('external_id,market\nT2,PL\n');
    const { batchId, commit } = await importFile(h, p);
    await commit();
    const sniff = await sniffFile(diskFile(p));
    const settings = {
      format: { encoding: sniff.encoding, delimiter: sniff.delimiter },
      mapping: guessMapping(sniff.header, detectPreset(sniff.header)),
      options: {},
    };
    await expect(dryRun(h.db, batchId, diskFile(p), settings)).rejects.toBeInstanceOf(ImportNotOpen);
    await expect(dryRun(h.db, 999_999, diskFile(p), settings)).rejects.toBeInstanceOf(ImportNotOpen);
  });

  it('reads a Polish Excel file: Windows-1250, semicolons, a market for the whole file', async () => {
    const text = 'Imię;Nazwisko;E-mail;Telefon\r\nŁucja;Wąsowska;lucja@example.pl;600 123 999\r\n';
    const bytes = Uint8Array.from([...text].map((ch) => ({ Ł: 0xa3, ę: 0xea, ą: 0xb9 })[ch] ?? ch.charCodeAt(0)));
    const p = file(bytes);
    const sniff = await sniffFile(diskFile(p));
    expect(sniff).toMatchObject({ encoding: 'windows-1250', delimiter: ';', header: ['Imię', 'Nazwisko', 'E-mail', 'Telefon'] });
    const { summary, commit } = await importFile(h, p, { defaultMarket: 'PL' });
    expect(summary).toMatchObject({ new: 1, rejected: 0 });
    await commit();
    const [c] = await h.db.select().from(customers).where(eq(customers.email, 'lucja@example.pl'));
    expect(c).toMatchObject({ firstName: 'Łucja', lastName: 'Wąsowska', phone: '+48600123999', market: 'PL' });
  });

  it('never crashes on arbitrary bytes and never writes part of an import', async () => {
    const counts = async () =>
      rowsOf<{ c: number; e: number; s: number }>(
        await h.db.execute(
          sql`select (select count(*) from customers)::int as c, (select count(*) from consent_events)::int as e, (select count(*) from consent_state)::int as s`,
        ),
      )[0];
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 400 }),
          fc
            .array(
              fc.array(
                fc.oneof(
                  fc.constantFrom('"', ',', ';', '\n', '\r', 'tak', 'nie', 'PL', 'a@b.pl', '600123456', '2026-01-01', 'ą'),
                  fc.string(),
                ),
                { maxLength: 8 },
              ),
              { maxLength: 8 },
            )
            .map((rows) =>
              new TextEncoder().encode(
                [
                  'external_id,email,phone,market,email_marketing,email_marketing_date,email_marketing_source',
                  ...rows.map((r) => r.join('')),
                ].join('\n'),
              ),
            ),
        ),
        async (bytes) => {
          const before = await counts();
          const p = file(bytes);
          try {
            const { summary, commit } = await importFile(h, p);
            const result = await commit();
            expect(result.ok).toBe(true);
            const after = await counts();
            expect(after!.c - before!.c).toBe(summary.new);
          } catch (error) {
            if (!(error instanceof ImportFileError)) throw error;
            expect(await counts()).toEqual(before);
          }
        },
      ),
      { numRuns: driver === 'pglite' ? 60 : 30 },
    );
    const batches = await h.db.select({ status: importBatches.status }).from(importBatches);
    expect(batches.every((b) => b.status === 'committed' || b.status === 'dry_run')).toBe(true);
  });
});

describe.each(testDrivers())('suppressions that arrive between dry run and commit, on %s', (driver) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await createTestDb(driver);
    await ensureDefaultPolicies(h.db);
  });
  afterAll(async () => h?.close());

  const grantsWhatsApp = (externalId: string, phone: string) =>
    file(
      `external_id,phone,market,whatsapp_marketing,whatsapp_marketing_date,whatsapp_marketing_source\n${externalId},${phone},PL,tak,2026-10-01,order page opt-in\n`,
    );

  it('asks for a new dry run when the first suppression came after it, and writes nothing', async () => {
    const p = grantsWhatsApp('Q1', '600 999 301');
    const { batchId, summary, commit } = await importFile(h, p);
    expect(summary.events.whatsapp).toBe(1);
    await suppressContact(h.db, {
      kind: 'phone',
      value: '+48600999301',
      channel: 'whatsapp',
      reason: 'whatsapp_opt_out',
      source: 'whatsapp_keyword',
    });
    expect(await commit()).toEqual({ ok: false, reason: 'stale' });
    expect(await h.db.$count(customers)).toBe(0);
    // The new dry run looks the contact point up and drops the grant.
    const sniff = await sniffFile(diskFile(p));
    const again = await dryRun(
      h.db,
      batchId,
      diskFile(p),
      {
        format: { encoding: sniff.encoding, delimiter: sniff.delimiter },
        mapping: guessMapping(sniff.header, detectPreset(sniff.header)),
        options: {},
      },
      undefined,
      NOW,
    );
    expect(again.firstWarnings.map((w) => w.code)).toEqual(['suppressed_contact']);
    expect(await commit()).toMatchObject({ ok: true });
    expect(await ledgerOf(h, 'Q1')).toEqual(['whatsapp marketing withdrawn suppression', 'whatsapp transactional withdrawn suppression']);
    expect(await stateOf(h, 'Q1', 'whatsapp')).toBe('withdrawn');
  });

  it('keeps the grant out of a contact point suppressed after the dry run, when the dry run could look it up', async () => {
    const { summary, commit } = await importFile(h, grantsWhatsApp('Q2', '600 999 302'));
    expect(summary.events.whatsapp).toBe(1);
    await suppressContact(h.db, {
      kind: 'phone',
      value: '+48600999302',
      channel: 'whatsapp',
      reason: 'whatsapp_opt_out',
      source: 'whatsapp_keyword',
    });
    const result = await commit();
    expect(result).toMatchObject({ ok: true, eventsWritten: 2 });
    expect(result.ok && result.summary.firstWarnings.map((w) => w.code)).toEqual(['suppressed_contact']);
    expect(await ledgerOf(h, 'Q2')).toEqual(['whatsapp marketing withdrawn suppression', 'whatsapp transactional withdrawn suppression']);
    expect(await stateOf(h, 'Q2', 'whatsapp')).toBe('withdrawn');
  });

  it('a STOP during the commit finds its sender among the customers the import brings, once the commit is done', async () => {
    const p = file(
      'external_id,phone,market,whatsapp_marketing,whatsapp_marketing_date,whatsapp_marketing_source\nW1,600 999 401,PL,tak,2026-10-01,order page opt-in\n',
    );
    const { batchId } = await importFile(h, p);
    const suppressed = await h.db.$count(suppressions);
    let stop: Promise<unknown> | null = null;
    const result = await commitImport(h.db, batchId, null, (progress) => {
      // Mid-commit: the new customer is written but not committed.
      if (progress.phase === 'events' && !stop) {
        stop = applyInbound(h.db, [
          {
            type: 'keyword',
            intent: 'stop',
            phone: '+48600999401',
            messageId: 'wamid.W1',
            occurredAt: new Date('2026-11-01T10:00:00Z'),
            text: 'STOP',
          },
        ]);
      }
    });
    expect(result).toMatchObject({ ok: true });
    // Found among the customers (no stop of an unknown sender); the phone is suppressed for every later record of it.
    expect(await stop).toMatchObject({ recorded: 2, suppressed: 0 });
    expect(await h.db.$count(suppressions)).toBe(suppressed + 1);
    expect(await stateOf(h, 'W1', 'whatsapp')).toBe('withdrawn');
  });
});
