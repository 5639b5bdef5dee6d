import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { DbHandle } from '@/db';
import { auditLog, confirmationRuns, confirmations, consentState, customers, users } from '@/db/schema';
import { createTestDb, testDrivers } from '@/db/testing';
import { ensureDefaultPolicies } from '@/lib/consent-store/policies';
import { recordConsentEvents } from '@/lib/consent-store/record';
import { parseCustomerFilter } from '@/lib/customers/filter';
import type { TestSmtp } from '@/lib/mail/test-server';
import { startTestSmtp } from '@/lib/mail/test-server';
import { createRun, getRun, issueForPage, pendingCustomers } from '@/lib/opt-in/bulk';
import { confirmByLink } from '@/lib/opt-in/confirm';
import { confirmationMailsJob } from './confirmation-mails';
import { enqueue } from './queue';
import { startJobs, stopJobs } from './workers';

process.env.ZGODA_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'zgoda-confirmations-'));

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 30_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() - start > ms) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.each(testDrivers())('confirmation mails to pending customers on %s', (driver) => {
  let h: DbHandle;
  let smtp: TestSmtp;
  let sellerId: number;
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    h = await createTestDb(driver);
    await ensureDefaultPolicies(h.db);
    smtp = await startTestSmtp();
    const [seller] = await h.db
      .insert(users)
      .values({ email: 'seller@example.test', name: 'Seller', role: 'seller', passwordHash: 'x' })
      .returning({ id: users.id });
    sellerId = seller!.id;
    // Imported with a "yes" in Germany: pending. One without an e-mail, one already confirmed, one Polish and granted.
    const rows = [
      { key: 'lena', market: 'DE', email: `lena-${driver}@example.de`, language: 'de', pending: true },
      { key: 'jonas', market: 'DE', email: `jonas-${driver}@example.de`, language: null, pending: true },
      { key: 'nomail', market: 'DE', email: null, language: 'de', pending: true },
      { key: 'ola', market: 'PL', email: `ola-${driver}@example.pl`, language: 'pl', pending: false },
    ];
    for (const r of rows) {
      const [c] = await h.db
        .insert(customers)
        .values({ market: r.market, email: r.email, phone: r.email ? null : '+4915123456789', language: r.language, source: 'import' })
        .returning({ id: customers.id });
      ids[r.key] = c!.id;
      const result = await recordConsentEvents(
        h.db,
        [
          {
            customerId: c!.id,
            channel: r.email ? 'email' : 'sms',
            purpose: 'marketing',
            kind: 'granted',
            occurredAt: new Date('2026-03-01T10:00:00Z'),
            source: 'import',
            evidence: { proofReference: 'shop export', ...(r.pending ? { doubleOptIn: true } : {}) },
          },
        ],
        null,
      );
      expect(result.ok).toBe(true);
    }
    process.env.SMTP_URL = smtp.url;
    process.env.MAIL_FROM = 'Shop <shop@example.test>';
    await startJobs(h);
  });
  afterAll(async () => {
    await stopJobs();
    delete process.env.SMTP_URL;
    delete process.env.MAIL_FROM;
    await smtp?.close();
    await h?.close();
  });

  it('finds the customers of the list with an e-mail address and a grant waiting for confirmation', async () => {
    const pages = [];
    for await (const page of pendingCustomers(h.db, parseCustomerFilter({ market: 'DE' }))) pages.push(...page);
    expect(pages.map((p) => p.id)).toEqual([ids.lena, ids.jonas]);
    // Without a language of their own, the market's.
    expect(pages.map((p) => p.language)).toEqual(['de', 'de']);
    expect(pages[0]!.items).toEqual([{ channel: 'email', purpose: 'marketing', grantedAt: '2026-03-01T10:00:00.000Z' }]);
  });

  it('sends them as a job with progress; each link confirms its customer once', async () => {
    const filter = parseCustomerFilter({});
    const run = await h.db.transaction(async (tx) => {
      const created = await createRun(tx, { filter, shopName: 'Gartenhaus', baseUrl: 'https://zgoda.example', actorId: sellerId });
      expect(await enqueue(confirmationMailsJob, { runId: created.id }, tx)).toBe(true);
      return created;
    });
    const done = await until(
      () => getRun(h.db, run.id),
      (r) => r?.status === 'done' || r?.status === 'failed',
    );
    expect(done).toMatchObject({ status: 'done', found: 2, sent: 2, failed: 0, failure: null });
    const mail = await smtp.mailTo(`lena-${driver}@example.de`);
    expect(mail.subject).toBe('Bitte bestätigen: Nachrichten von Gartenhaus');
    await smtp.mailTo(`jonas-${driver}@example.de`);
    expect(smtp.mails.some((m) => JSON.stringify(m.to).includes(`ola-${driver}`))).toBe(false);

    const token = /https:\/\/zgoda\.example\/c\/(\S+)/.exec(mail.text ?? '')?.[1];
    expect(token).toBeTruthy();
    expect(await confirmByLink(h.db, token!, { ip: '203.0.113.9', userAgent: 'test' })).toMatchObject({ ok: true });
    const [state] = await h.db.select().from(consentState).where(eq(consentState.customerId, ids.lena!));
    expect(state?.status).toBe('granted');
    expect(await confirmByLink(h.db, token!, { ip: '203.0.113.9', userAgent: 'test' })).toMatchObject({ ok: false, reason: 'used' });
    const audit = await h.db.select().from(auditLog).where(eq(auditLog.action, 'confirmation.send'));
    expect(audit).toHaveLength(1);
    expect(await h.db.select().from(confirmations).where(eq(confirmations.runId, run.id))).toHaveLength(2);
  });

  it('without a mail server the run fails at once, saying why, and asks nobody', async () => {
    delete process.env.SMTP_URL;
    try {
      const run = await h.db.transaction(async (tx) => {
        const created = await createRun(tx, {
          filter: parseCustomerFilter({}),
          shopName: 'Gartenhaus',
          baseUrl: 'https://zgoda.example',
          actorId: sellerId,
        });
        await enqueue(confirmationMailsJob, { runId: created.id }, tx);
        return created;
      });
      const done = await until(
        () => getRun(h.db, run.id),
        (r) => r?.status === 'failed' || r?.status === 'done',
      );
      expect(done).toMatchObject({ status: 'failed', failure: 'no_mail_server', found: 0 });
      expect(await h.db.$count(confirmations, eq(confirmations.runId, run.id))).toBe(0);
    } finally {
      process.env.SMTP_URL = smtp.url;
    }
  });

  it('links for the seller’s own mail tool are single-use requests too', async () => {
    const pages = [];
    for await (const page of pendingCustomers(h.db, parseCustomerFilter({ market: 'DE' }))) pages.push(page);
    // Lena confirmed above: only Jonas is still pending.
    expect(pages.flat().map((c) => c.id)).toEqual([ids.jonas]);
    const issued = await issueForPage(h.db, pages[0]!, { shopName: 'Gartenhaus', actorId: sellerId });
    expect(issued).toHaveLength(1);
    expect(await confirmByLink(h.db, issued[0]!.issued.token, { ip: '203.0.113.9' })).toMatchObject({ ok: true });
    expect(await confirmByLink(h.db, issued[0]!.issued.token, { ip: '203.0.113.9' })).toMatchObject({ ok: false, reason: 'used' });
    expect(await h.db.$count(confirmationRuns)).toBe(2);
  });
});
