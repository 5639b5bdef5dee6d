import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import type { DbHandle } from '@/db';
import {
  auditLog,
  campaignRecipients,
  confirmations,
  consentEvents,
  consentEvidencePersonal,
  customers,
  replyReviews,
  suppressions,
  users,
} from '@/db/schema';
import { rowsOf } from '@/db/sql';
import { createTestDb, testDrivers } from '@/db/testing';
import type { Channel, Purpose } from '@/lib/consent';
import { CHANNELS, PURPOSES, UNKNOWN_STATE, evaluate, resolvePolicy } from '@/lib/consent';
import { reasonsByCustomer } from '@/lib/consent-store/eligibility';
import { ensureDefaultPolicies, loadPolicies } from '@/lib/consent-store/policies';
import { recordConsentEvent } from '@/lib/consent-store/record';
import { createComplaint } from '@/lib/complaints/record';
import { reasonCounts } from '@/lib/coverage/queries';
import { customerDetail } from '@/lib/customers/detail';
import { createBatch } from '@/lib/import/batches';
import { commitImport } from '@/lib/import/commit';
import { dryRun } from '@/lib/import/dry-run';
import { detectPreset, guessMapping } from '@/lib/import/fields';
import { uploadFile } from '@/lib/import/fixtures';
import { sniffFile } from '@/lib/import/read';
import { startExport } from '@/lib/messages/export';
import { saveDraft, stepDraft } from '@/lib/messages/store';
import { marketingDraft } from '@/lib/messages/test-data';
import { claimIdempotencyKey, storeIdempotentAnswer } from '@/lib/api/idempotency';
import { createApiKey } from '@/lib/api/keys';
import { ERASED_REASON, contactHash } from '@/lib/suppressions';
import { applySuppressionsTo } from '@/lib/suppressions/contact-point';
import { applyInbound } from '@/lib/whatsapp/inbound';
import { parseWebhook } from '@/lib/whatsapp/payload';
import { inboundMessage } from '@/lib/whatsapp/samples';
import { accessExport, auditAccessExport } from './access-export';
import { eraseCustomer } from './erase';

const DAY = 86_400_000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zgoda-erase-'));
let fileNo = 0;

/** The person whose data must go: every value that identifies her, as the tables would hold it. */
const PERSON = {
  externalId: 'SHOP-ERASE-4711',
  firstName: 'Magdalenna',
  lastName: 'Zielińska-Wrzos',
  email: 'magdalenna.wrzos@poczta-erase.pl',
  phone: '+48601234987',
  ip: '203.0.113.77',
  userAgent: 'Mozilla/5.0 (ErasureTestAgent 9.1)',
  reply: 'Proszę przestać pisać, tu Magdalenna Wrzos',
  complaint: 'Klientka Magdalenna Wrzos nie zgadzała się na SMS',
};

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

describe.each(testDrivers())('erasing a customer, on %s', (driver) => {
  let h: DbHandle;
  let seller: { id: number; role: 'seller' };
  let manager: { id: number; role: 'manager' };
  let support: number;
  const now = new Date();
  const earlier = new Date(now.getTime() - 10 * DAY);
  let draftNo = 0;
  let erasedId: number;
  let controlId: number;
  let stagedBatch: number;

  async function importCsv(content: string, commit = true) {
    const p = path.join(dir, `e${++fileNo}.csv`);
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
    return { batchId, summary, result: commit ? await commitImport(h.db, batchId, null) : null };
  }

  async function exported(markets: string[]): Promise<string[]> {
    const saved = await saveDraft(h.db, marketingDraft(`erasure_${++draftNo}`, { markets }), seller, now);
    if (!saved.ok) throw new Error('draft refused');
    await stepDraft(h.db, saved.id, 'submit', seller);
    await stepDraft(h.db, saved.id, 'approve', manager);
    const started = await startExport(h.db, saved.id, seller, new Date(), 2);
    if (!started.ok) throw new Error(`export refused: ${started.refusal}`);
    const text = (await readAll(started.stream)).trim();
    return text ? text.split('\n').map((l) => `+${(JSON.parse(l) as { to: string }).to}`) : [];
  }

  const idOf = async (externalId: string) =>
    (await h.db.select({ id: customers.id }).from(customers).where(eq(customers.externalId, externalId)))[0]!.id;

  beforeAll(async () => {
    h = await createTestDb(driver);
    await ensureDefaultPolicies(h.db);
    const [s, m, u] = await h.db
      .insert(users)
      .values([
        { email: 'seller@erase.test', name: 'Szymon Wiśniewski', role: 'seller', passwordHash: 'x' },
        { email: 'manager@erase.test', name: 'Marek Lewandowski', role: 'manager', passwordHash: 'x' },
        { email: 'support@erase.test', name: 'Zuzanna Kowalczyk', role: 'support', passwordHash: 'x' },
      ])
      .returning({ id: users.id });
    seller = { id: s!.id, role: 'seller' };
    manager = { id: m!.id, role: 'manager' };
    support = u!.id;

    // She comes by import, with an IP for her WhatsApp consent; a control customer beside her stays untouched.
    const header =
      'external_id,first_name,last_name,email,phone,market,whatsapp_marketing,whatsapp_marketing_date,whatsapp_marketing_source,whatsapp_marketing_ip';
    const { result } = await importCsv(
      [
        header,
        `${PERSON.externalId},${PERSON.firstName},${PERSON.lastName},${PERSON.email},${PERSON.phone},PL,yes,2026-03-14,checkout,${PERSON.ip}`,
        'SHOP-CONTROL-1,Jan,Kontrolny,jan.kontrolny@example.pl,+48601000111,PL,yes,2026-03-14,checkout,198.51.100.4',
      ].join('\n'),
    );
    expect(result?.ok).toBe(true);
    erasedId = await idOf(PERSON.externalId);
    controlId = await idOf('SHOP-CONTROL-1');

    // Consent recorded by hand in the dashboard, with the browser's address and user agent.
    const byHand = await recordConsentEvent(
      h.db,
      {
        customerId: erasedId,
        channel: 'email',
        purpose: 'marketing',
        kind: 'granted',
        occurredAt: earlier,
        source: 'support_call',
        evidence: { proofReference: 'call recording 2026-11', ip: PERSON.ip, userAgent: PERSON.userAgent },
      },
      support,
    );
    expect(byHand.ok).toBe(true);

    // She is in an exported campaign.
    expect(await exported(['PL'])).toContain(PERSON.phone);

    // A reply to review from her phone, and a complaint with her words that withdraws SMS.
    await applyInbound(
      h.db,
      intentsOf(inboundMessage(PERSON.phone, { type: 'text', text: PERSON.reply }, { id: 'wamid.erase-1', at: earlier })),
    );
    await createComplaint(
      h.db,
      {
        customerId: erasedId,
        contactEmail: undefined,
        contactPhone: undefined,
        channel: 'sms',
        kind: 'no_consent',
        description: PERSON.complaint,
        withdraw: 'all',
        receivedAt: earlier,
      },
      support,
      now,
    );

    // A shop's API call created her record once more (its answer kept for a retry), and a confirmation mail to her was
    // refused by the mail server, which quoted her address.
    const key = await createApiKey(h.db, { name: 'shop', scopes: ['customers:write'] }, seller.id);
    expect(await claimIdempotencyKey(h.db, key.id, 'retry-erase-1', 'hash')).toEqual({ claimed: true });
    await storeIdempotentAnswer(h.db, key.id, 'retry-erase-1', 200, { id: erasedId, email: PERSON.email, phone: PERSON.phone });
    await h.db.insert(confirmations).values({
      id: 'confirm-erase-1',
      customerId: erasedId,
      items: [{ channel: 'email', purpose: 'marketing', grantedAt: earlier.toISOString() }],
      shopName: 'Kwiatek',
      language: 'pl',
      expiresAt: now,
      sendError: `550 5.1.1 <${PERSON.email}>: Recipient address rejected`,
    });

    // A later file, checked but not committed yet, brings her again.
    const staged = await importCsv(
      ['external_id,first_name,email,market', `${PERSON.externalId},${PERSON.firstName},${PERSON.email},PL`].join('\n'),
      false,
    );
    stagedBatch = staged.batchId;
  });
  afterAll(async () => h?.close());

  /** Every text and JSON column of every table holding any of the values: `table.column: value`. */
  async function personalValuesLeft(values: readonly string[]): Promise<string[]> {
    const columns = rowsOf<{ table_schema: string; table_name: string; column_name: string }>(
      await h.db.execute(sql`
        select c.table_schema, c.table_name, c.column_name from information_schema.columns c
        join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
        where c.table_schema not in ('pg_catalog', 'information_schema')
          and (c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb') or c.data_type = 'ARRAY')
        order by 1, 2, 3`),
    );
    expect(columns.length).toBeGreaterThan(30);
    const found: string[] = [];
    for (const c of columns) {
      const column = sql.raw(`"${c.table_schema}"."${c.table_name}"."${c.column_name}"`);
      for (const value of values) {
        const [hit] = rowsOf<{ n: number }>(
          await h.db.execute(
            sql`select count(*)::int as n from ${sql.raw(`"${c.table_schema}"."${c.table_name}"`)} where lower(${column}::text) like ${`%${value.toLowerCase()}%`}`,
          ),
        );
        if (hit!.n > 0) found.push(`${c.table_schema}.${c.table_name}.${c.column_name}: ${value}`);
      }
    }
    return found;
  }

  const values = [
    PERSON.externalId,
    PERSON.firstName,
    PERSON.lastName,
    PERSON.email,
    PERSON.phone,
    PERSON.phone.slice(1),
    PERSON.ip,
    PERSON.userAgent,
    PERSON.reply,
    PERSON.complaint,
  ];

  it('holds her values before the erasure (the search finds them)', async () => {
    const left = await personalValuesLeft(values);
    for (const where of [
      'public.customers.email',
      'public.consent_evidence_personal.evidence',
      'public.campaign_recipients.phone',
      'public.reply_reviews.text',
      'public.import_rows.email',
    ])
      expect(left.some((l) => l.startsWith(where))).toBe(true);
    // The ledger itself never held them.
    expect(left.filter((l) => l.startsWith('public.consent_events.'))).toEqual([]);
  });

  it('exports everything held about her, in one document', async () => {
    const result = await accessExport(h.db, erasedId, now);
    if (!result.ok) throw new Error(result.code);
    const data = result.data;
    expect(data.customer).toMatchObject({ id: erasedId, email: PERSON.email, phone: PERSON.phone, firstName: PERSON.firstName });
    expect(data.consentHistory.find((e) => e.source === 'support_call')!.evidence).toMatchObject({
      ip: PERSON.ip,
      userAgent: PERSON.userAgent,
    });
    expect(data.consentHistory.find((e) => e.source === 'import')!.evidence).toMatchObject({ ip: PERSON.ip, importRow: 1 });
    expect(data.consentHistory.find((e) => e.source === 'complaint')!.evidence).toMatchObject({ customerText: PERSON.complaint });
    expect(data.consents.find((c) => c.channel === 'sms' && c.purpose === 'marketing')!.status).toBe('withdrawn');
    expect(data.complaints.map((c) => c.description)).toEqual([PERSON.complaint]);
    expect(data.campaigns.map((c) => c.phone)).toEqual([PERSON.phone]);
    expect(data.whatsappReplies.map((r) => r.text)).toEqual([PERSON.reply]);
    expect(data.suppressions.map((x) => [x.contactPoint, x.channel, x.source])).toEqual([['phone', 'sms', 'complaint']]);
    expect(data.imports).toEqual([expect.objectContaining({ fileName: expect.stringMatching(/\.csv$/), createdTheRecord: true })]);
    expect(JSON.stringify(data)).not.toContain(contactHash('phone', PERSON.phone));
    await auditAccessExport(h.db, support, erasedId, 'json');
    const [audit] = await h.db
      .select({ after: auditLog.after })
      .from(auditLog)
      .where(and(eq(auditLog.action, 'customer.access_exported'), eq(auditLog.entityId, String(erasedId))));
    expect(audit).toEqual({ after: { format: 'json' } });
  });

  it('refuses an erasure without a reason, and of a customer that does not exist', async () => {
    expect(await eraseCustomer(h.db, { customerId: erasedId, reason: '   ' }, support, now)).toEqual({
      ok: false,
      code: 'reason_required',
    });
    expect(await eraseCustomer(h.db, { customerId: 987654321, reason: 'asked by e-mail' }, support, now)).toEqual({
      ok: false,
      code: 'not_found',
    });
    expect((await h.db.select({ email: customers.email }).from(customers).where(eq(customers.id, erasedId)))[0]!.email).toBe(PERSON.email);
  });

  it('leaves no personal value of hers in any table, and the control customer as he was', async () => {
    const ledgerBefore = await h.db.$count(consentEvents, eq(consentEvents.customerId, erasedId));
    const result = await eraseCustomer(h.db, { customerId: erasedId, reason: 'Request by e-mail, ticket 5512' }, support, now);
    expect(result).toMatchObject({ ok: true, otherRecords: 0 });
    expect(await personalValuesLeft(values)).toEqual([]);

    const [row] = await h.db.select().from(customers).where(eq(customers.id, erasedId));
    expect(row).toMatchObject({
      email: null,
      phone: null,
      firstName: null,
      lastName: null,
      externalId: null,
      market: 'PL',
      source: 'import',
    });
    expect(row!.erasedAt).toBeInstanceOf(Date);
    // Her ledger is all there, and grew by the erasure's withdrawals.
    expect(await h.db.$count(consentEvents, eq(consentEvents.customerId, erasedId))).toBeGreaterThan(ledgerBefore);
    expect(await h.db.$count(consentEvidencePersonal, eq(consentEvidencePersonal.customerId, erasedId))).toBe(0);
    expect(await h.db.$count(campaignRecipients, eq(campaignRecipients.customerId, erasedId))).toBe(0);
    expect(await h.db.$count(replyReviews)).toBe(0);

    const [control] = await h.db.select().from(customers).where(eq(customers.id, controlId));
    expect(control).toMatchObject({ email: 'jan.kontrolny@example.pl', erasedAt: null });
    expect(await h.db.$count(consentEvidencePersonal, eq(consentEvidencePersonal.customerId, controlId))).toBe(1);

    const [audit] = await h.db
      .select({ actorId: auditLog.actorId, after: auditLog.after })
      .from(auditLog)
      .where(and(eq(auditLog.action, 'customer.erased'), eq(auditLog.entityId, String(erasedId))));
    expect(audit).toEqual({ actorId: support, after: { reason: 'Request by e-mail, ticket 5512' } });
  });

  it('says so when she is erased again', async () => {
    expect(await eraseCustomer(h.db, { customerId: erasedId, reason: 'again' }, support, now)).toEqual({
      ok: false,
      code: 'already_erased',
    });
  });

  it('keeps the proof: the pseudonymous ledger with what happened and when', async () => {
    const detail = (await customerDetail(erasedId, now, h.db))!;
    expect(detail.customer).toMatchObject({ id: erasedId, email: null, firstName: null, market: 'PL' });
    const kinds = detail.events.map((e) => `${e.channel}:${e.purpose}:${e.kind}:${e.source}`);
    expect(kinds).toContain('whatsapp:marketing:granted:import');
    expect(kinds).toContain('email:marketing:granted:support_call');
    expect(kinds).toContain('email:marketing:withdrawn:erasure');
    const imported = detail.events.find((e) => e.source === 'import')!;
    expect(imported.evidence).toMatchObject({ proofReference: 'checkout', importRow: 1 });
    expect(imported.evidence.ip).toBeUndefined();
    expect(detail.grid.every((c) => c.decision.reason === 'erased')).toBe(true);
  });

  it('blocks her with reason erased in evaluate and in its SQL twin alike, and coverage and exports drop her', async () => {
    const policies = await loadPolicies(h.db);
    const [c] = await h.db.select().from(customers).where(eq(customers.id, erasedId));
    for (const channel of CHANNELS as readonly Channel[])
      for (const purpose of PURPOSES as readonly Purpose[]) {
        const twin = await reasonsByCustomer(h.db, channel, purpose, now, sql`c.id = ${erasedId}`);
        const mine = evaluate(c!, channel, purpose, UNKNOWN_STATE, resolvePolicy(policies, 'PL', channel, purpose), now);
        expect([mine.reason, twin.get(erasedId)]).toEqual(['erased', 'erased']);
      }
    const counts = await reasonCounts({}, 'whatsapp', 'marketing', now, h.db);
    expect(counts.filter((c) => c.reason === 'erased').reduce((n, c) => n + c.n, 0)).toBe(1);
    expect(await exported(['PL'])).not.toContain(PERSON.phone);
  });

  it('suppresses her contact points for every channel, so a later import brings her back withdrawn and says why', async () => {
    const rows = await h.db
      .select({ kind: suppressions.kind, channel: suppressions.channel, purpose: suppressions.purpose, reason: suppressions.reason })
      .from(suppressions)
      .where(eq(suppressions.reason, ERASED_REASON));
    expect(rows.map((r) => `${r.kind}:${r.channel}:${r.purpose}`).sort()).toEqual(['email:null:null', 'phone:null:null']);
    expect(await h.db.$count(suppressions, eq(suppressions.valueHash, contactHash('email', PERSON.email)))).toBeGreaterThan(0);

    // The staged import that held her lost her row.
    expect(
      rowsOf<{ n: number }>(await h.db.execute(sql`select count(*)::int as n from import_rows where batch_id = ${stagedBatch}`))[0]!.n,
    ).toBe(0);

    const again = await importCsv(
      [
        'first_name,email,phone,market,whatsapp_marketing,whatsapp_marketing_date,whatsapp_marketing_source',
        `Magda,${PERSON.email.toUpperCase()},,PL,,,`,
        `Magda,,${PERSON.phone},PL,yes,2026-11-20,checkout`,
      ].join('\n'),
    );
    expect(again.result?.ok).toBe(true);
    const warnings = again.summary.firstWarnings.filter((w) => w.code === 'erased_contact');
    expect(warnings.map((w) => [w.row, w.value])).toEqual([
      [1, 'email'],
      [2, 'phone'],
    ]);
    expect(JSON.stringify(again.summary)).not.toContain(PERSON.email);
    const back = await h.db
      .select({ id: customers.id, email: customers.email, phone: customers.phone })
      .from(customers)
      .where(sql`${customers.email} = ${PERSON.email} or ${customers.phone} = ${PERSON.phone}`);
    expect(back).toHaveLength(2);
    for (const b of back) {
      const detail = (await customerDetail(b.id, now, h.db))!;
      const cells = detail.grid.filter((g) => (b.email ? g.channel === 'email' : g.channel !== 'email'));
      expect(cells.map((g) => g.state.status)).toEqual(cells.map(() => 'withdrawn'));
    }
  });

  it('starts a record written with her e-mail elsewhere (an API call, a form) withdrawn, and a later grant opens it', async () => {
    const [fresh] = await h.db
      .insert(customers)
      .values({ email: PERSON.email, market: 'DE', source: 'api' })
      .returning({ id: customers.id });
    const apply = () => h.db.transaction((tx) => applySuppressionsTo(tx, [fresh!.id]));
    expect(await apply()).toBe(2);
    const detail = (await customerDetail(fresh!.id, now, h.db))!;
    expect(detail.grid.filter((g) => g.channel === 'email').map((g) => g.state.status)).toEqual(['withdrawn', 'withdrawn']);
    expect(detail.events.map((e) => [e.source, e.evidence.reason])).toEqual([
      ['suppression', ERASED_REASON],
      ['suppression', ERASED_REASON],
    ]);
    expect(await apply()).toBe(0);
    const granted = await recordConsentEvent(
      h.db,
      {
        customerId: fresh!.id,
        channel: 'email',
        purpose: 'marketing',
        kind: 'granted',
        // After the suppression (dated when the erasure ran, later than the test's clock).
        occurredAt: new Date(),
        source: 'web_form',
        evidence: { formVersion: 'newsletter v2', wording: 'Ja, ich möchte den Newsletter' },
      },
      null,
    );
    expect(granted.ok && granted.state.status).toBe('granted');
  });
});
