import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import type { DbHandle } from '@/db';
import {
  auditLog,
  complaints,
  consentEvents,
  consentEvidencePersonal,
  consentState,
  customers,
  replyReviews,
  suppressions,
  users,
} from '@/db/schema';
import { createTestDb, testDrivers } from '@/db/testing';
import { contactHash } from '@/lib/suppressions';
import { applyInbound } from '@/lib/whatsapp/inbound';
import { parseWebhook } from '@/lib/whatsapp/payload';
import { inboundMessage, userPreference } from '@/lib/whatsapp/samples';
import { customerReplySignals, listOpenReplies, openReplyCount, repliesPerWeek } from './queries';
import type { ReplyDecision } from './record';
import { ReplyReviewRefused, decideReply } from './record';

const at = (iso: string) => new Date(iso);

describe.each(testDrivers())('reply review queue on %s', (driver) => {
  let h: DbHandle;
  let n = 0;
  let support: { id: number; name: string };
  beforeAll(async () => {
    h = await createTestDb(driver);
    const [u] = await h.db
      .insert(users)
      .values({ email: 'support@shop.test', name: 'Agnieszka Wójcik', role: 'support', passwordHash: 'x' })
      .returning({ id: users.id, name: users.name });
    support = u!;
  });
  afterAll(async () => h?.close());

  /** A reply to review from a phone held by `holders` customers (0: nobody's phone). */
  async function queued(text: string, holders = 1): Promise<{ reviewId: number; phone: string; customerIds: number[]; wamid: string }> {
    const phone = `+4860100${String(++n).padStart(4, '0')}`;
    const customerIds: number[] = [];
    for (let i = 0; i < holders; i++) {
      const [c] = await h.db
        .insert(customers)
        .values({ market: 'PL', phone, firstName: 'Jan', lastName: `Kowalski ${i}`, source: 'test' })
        .returning({ id: customers.id });
      customerIds.push(c!.id);
    }
    const wamid = `wamid.REV${n}`;
    const parsed = parseWebhook(inboundMessage(phone, { type: 'text', text }, { id: wamid, at: at('2026-05-04T08:15:00Z') }));
    if (!parsed.ok) throw new Error(parsed.error);
    expect(await applyInbound(h.db, parsed.intents)).toMatchObject({ queued: 1 });
    const [row] = await h.db.select({ id: replyReviews.id }).from(replyReviews).where(eq(replyReviews.messageId, wamid));
    return { reviewId: row!.id, phone, customerIds, wamid };
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
  const review = async (id: number) => (await h.db.select().from(replyReviews).where(eq(replyReviews.id, id)))[0]!;
  const audits = (id: number) =>
    h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'reply_review'), eq(auditLog.entityId, String(id))));

  it('lists open replies with the customers of their phone, oldest first', async () => {
    const r = await queued('Nie piszcie do mnie więcej', 2);
    const list = await listOpenReplies(1, h.db);
    const row = list.rows.find((x) => x.id === r.reviewId);
    expect(row).toMatchObject({
      text: 'Nie piszcie do mnie więcej',
      cue: 'Nie piszcie',
      phone: r.phone,
      customers: r.customerIds.map((id) => ({ id, market: 'PL' })),
    });
    expect(await openReplyCount(h.db)).toBe(list.total);
    expect(await repliesPerWeek('2026-05-01', '2026-05-31', h.db)).toEqual([
      { week: '2026-05-04', received: list.total, open: list.total },
    ]);
  });

  it('withdraws WhatsApp marketing on every record of the phone, with the reply as evidence', async () => {
    const r = await queued('Bitte keine Werbung mehr', 2);
    const result = await decideReply(h.db, { reviewId: r.reviewId, decision: 'withdraw_marketing' }, support, at('2026-05-04T09:00:00Z'));
    expect(result).toEqual({ decision: 'withdraw_marketing', customers: r.customerIds, withdrawn: 2, suppressed: true, complaintId: null });
    // The phone is a person: suppressed for WhatsApp marketing, so a record that gets it later starts withdrawn.
    const phoneSuppressions = await h.db
      .select()
      .from(suppressions)
      .where(eq(suppressions.valueHash, contactHash('phone', (await review(r.reviewId))!.phone)));
    expect(phoneSuppressions.map((x) => [x.channel, x.purpose, x.source])).toEqual([['whatsapp', 'marketing', 'whatsapp_reply']]);
    for (const id of r.customerIds) {
      expect(await states(id)).toEqual({ marketing: 'withdrawn' });
      const [event] = await h.db.select().from(consentEvents).where(eq(consentEvents.customerId, id));
      expect(event).toMatchObject({
        kind: 'withdrawn',
        source: 'whatsapp_reply',
        recordedBy: support.id,
        occurredAt: at('2026-05-04T08:15:00Z'),
        evidence: { messageId: r.wamid, contactPoint: 'phone' },
      });
      expect(event!.evidence.reason).toContain('Agnieszka Wójcik');
      // The reply identifies its writer: it is kept beside the ledger, where an erasure can remove it.
      expect(event!.evidence).not.toHaveProperty('customerText');
      const [personal] = await h.db.select().from(consentEvidencePersonal).where(eq(consentEvidencePersonal.eventId, event!.id));
      expect(personal).toMatchObject({ customerId: id, evidence: { customerText: 'Bitte keine Werbung mehr' } });
    }
    expect(await review(r.reviewId)).toMatchObject({
      status: 'decided',
      decision: 'withdraw_marketing',
      decidedBy: support.id,
      decidedAt: at('2026-05-04T09:00:00Z'),
    });
    expect(await audits(r.reviewId)).toMatchObject([
      {
        action: 'reply_review.decide',
        actorId: support.id,
        before: { status: 'open' },
        after: { decision: 'withdraw_marketing', withdrawn: 2 },
      },
    ]);
    expect((await listOpenReplies(1, h.db)).rows.map((x) => x.id)).not.toContain(r.reviewId);
  });

  it("withdraws all WhatsApp, and suppresses a phone that is nobody's", async () => {
    const r = await queued('Please stop messaging me');
    await decideReply(h.db, { reviewId: r.reviewId, decision: 'withdraw_all' }, support);
    expect(await states(r.customerIds[0]!)).toEqual({ marketing: 'withdrawn', transactional: 'withdrawn' });

    const unknown = await queued('Skąd macie mój numer?', 0);
    expect(await decideReply(h.db, { reviewId: unknown.reviewId, decision: 'withdraw_all' }, support)).toMatchObject({
      customers: [],
      withdrawn: 0,
      suppressed: true,
    });
    expect(
      await h.db
        .select()
        .from(suppressions)
        .where(eq(suppressions.valueHash, contactHash('phone', unknown.phone))),
    ).toMatchObject([{ channel: 'whatsapp', source: 'whatsapp_reply' }]);
  });

  it('logs a complaint linked to the reply, without a withdrawal', async () => {
    const r = await queued('Mein Anwalt wird sich bei Ihnen melden');
    const result = await decideReply(h.db, { reviewId: r.reviewId, decision: 'complaint' }, support);
    expect(result.complaintId).toEqual(expect.any(Number));
    const [complaint] = await h.db.select().from(complaints).where(eq(complaints.id, result.complaintId!));
    expect(complaint).toMatchObject({
      customerId: r.customerIds[0],
      channel: 'whatsapp',
      market: 'PL',
      status: 'open',
      receivedAt: at('2026-05-04T08:15:00Z'),
      createdBy: support.id,
    });
    expect(complaint!.description).toContain('Mein Anwalt wird sich bei Ihnen melden');
    expect(await review(r.reviewId)).toMatchObject({ status: 'decided', decision: 'complaint', complaintId: result.complaintId });
    expect(await h.db.$count(consentEvents, eq(consentEvents.customerId, r.customerIds[0]!))).toBe(0);
  });

  it('records "not an objection" in the audit log only', async () => {
    const r = await queued('Stop the spam folder eating your mails, lol');
    await decideReply(h.db, { reviewId: r.reviewId, decision: 'not_objection' }, support);
    expect(await h.db.$count(consentEvents, eq(consentEvents.customerId, r.customerIds[0]!))).toBe(0);
    const [audit] = await audits(r.reviewId);
    expect(audit).toMatchObject({ after: { decision: 'not_objection', messageId: r.wamid } });
    // The audit log keeps no personal data: the reply is named by its message id, not quoted.
    expect(JSON.stringify(audit)).not.toContain('spam folder');
  });

  it.each<ReplyDecision>(['withdraw_marketing', 'withdraw_all', 'complaint', 'not_objection'])(
    'refuses a second decision after %s, changing nothing',
    async (first) => {
      const r = await queued('Usuńcie mój numer');
      await decideReply(h.db, { reviewId: r.reviewId, decision: first }, support);
      const events = await h.db.$count(consentEvents, eq(consentEvents.customerId, r.customerIds[0]!));
      const complaintCount = await h.db.$count(complaints);
      const error = await decideReply(h.db, { reviewId: r.reviewId, decision: 'withdraw_all' }, support).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ReplyReviewRefused);
      expect(error).toMatchObject({ code: 'already_decided', decided: { decision: first, by: 'Agnieszka Wójcik' } });
      expect(await h.db.$count(consentEvents, eq(consentEvents.customerId, r.customerIds[0]!))).toBe(events);
      expect(await h.db.$count(complaints)).toBe(complaintCount);
      expect(await review(r.reviewId)).toMatchObject({ decision: first });
      expect(await audits(r.reviewId)).toHaveLength(1);
    },
  );

  it('decides a reply once when two people click at the same moment', async () => {
    const r = await queued('Nie wysyłajcie mi tego');
    const results = await Promise.allSettled([
      decideReply(h.db, { reviewId: r.reviewId, decision: 'withdraw_all' }, support),
      decideReply(h.db, { reviewId: r.reviewId, decision: 'not_objection' }, support),
    ]);
    expect(results.map((x) => x.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await audits(r.reviewId)).toHaveLength(1);
  });

  it('refuses an unknown reply', async () => {
    await expect(decideReply(h.db, { reviewId: 999_999, decision: 'not_objection' }, support)).rejects.toMatchObject({ code: 'not_found' });
    expect(await h.db.select().from(replyReviews).orderBy(asc(replyReviews.id)).limit(1)).toHaveLength(1);
  });

  it("shows the customer the replies waiting for review and the setting's resumes that were no consent", async () => {
    const r = await queued('Nie wysyłajcie mi reklam');
    const customerId = r.customerIds[0]!;
    const resume = parseWebhook(userPreference(r.phone, 'resume', at('2026-05-05T07:00:00Z')));
    if (!resume.ok) throw new Error(resume.error);
    await applyInbound(h.db, resume.intents);
    expect(await customerReplySignals(customerId, r.phone, h.db)).toEqual({
      open: [{ id: r.reviewId, text: 'Nie wysyłajcie mi reklam', receivedAt: at('2026-05-04T08:15:00Z') }],
      resumes: [{ id: expect.any(Number), occurredAt: at('2026-05-05T07:00:00Z') }],
    });
    await decideReply(h.db, { reviewId: r.reviewId, decision: 'not_objection' }, support);
    expect((await customerReplySignals(customerId, r.phone, h.db)).open).toEqual([]);
  });
});
