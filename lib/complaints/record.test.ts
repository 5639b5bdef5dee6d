import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { DbHandle } from '@/db';
import { auditLog, complaints, consentEvents, consentState, customers, suppressions, users } from '@/db/schema';
import { createTestDb, testDrivers } from '@/db/testing';
import { contactHash } from '@/lib/suppressions';
import { createComplaintSchema } from './input';
import { ComplaintRefused, createComplaint, updateComplaint } from './record';

describe.each(testDrivers())('complaints on %s', (driver) => {
  let h: DbHandle;
  let actor: number;
  let customerId: number;
  beforeAll(async () => {
    h = await createTestDb(driver);
    const [u] = await h.db
      .insert(users)
      .values({ email: 's@x.test', name: 'Sam Support', role: 'support', passwordHash: 'x' })
      .returning({ id: users.id });
    actor = u!.id;
    const [c] = await h.db
      .insert(customers)
      .values({ market: 'DE', email: 'anna@example.de', source: 'test' })
      .returning({ id: customers.id });
    customerId = c!.id;
  });
  afterAll(async () => h?.close());

  const input = (fields: Record<string, string>) => {
    const parsed = createComplaintSchema.safeParse({
      receivedAt: '2026-03-01T10:00',
      description: 'Got offers I never asked for',
      ...fields,
    });
    if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
    return { ...parsed.data, receivedAt: new Date('2026-03-01T09:00:00Z') };
  };

  it('logs a complaint and withdraws marketing on its channel with the complaint as evidence', async () => {
    const { id, withdrawn } = await createComplaint(
      h.db,
      input({ customerId: String(customerId), channel: 'email', kind: 'unwanted_marketing', withdraw: 'marketing' }),
      actor,
    );
    expect(withdrawn).toBe(1);
    const [row] = await h.db.select().from(complaints).where(eq(complaints.id, id));
    expect(row).toMatchObject({ market: 'DE', status: 'open', urgent: false, kind: 'unwanted_marketing' });
    const [event] = await h.db.select().from(consentEvents).where(eq(consentEvents.customerId, customerId));
    expect(event).toMatchObject({
      kind: 'withdrawn',
      channel: 'email',
      purpose: 'marketing',
      source: 'complaint',
      recordedBy: actor,
      evidence: { complaintId: id },
    });
    const [state] = await h.db
      .select()
      .from(consentState)
      .where(and(eq(consentState.customerId, customerId), eq(consentState.channel, 'email')));
    expect(state?.status).toBe('withdrawn');
  });

  it('marks a legal notice urgent and can withdraw all purposes', async () => {
    const { id, withdrawn } = await createComplaint(
      h.db,
      input({ customerId: String(customerId), channel: 'sms', kind: 'legal_notice', withdraw: 'all' }),
      actor,
    );
    expect(withdrawn).toBe(2);
    const [row] = await h.db.select({ urgent: complaints.urgent }).from(complaints).where(eq(complaints.id, id));
    expect(row?.urgent).toBe(true);
  });

  it('suppresses the contact point of someone who is not a customer', async () => {
    const events = await h.db.$count(consentEvents);
    await createComplaint(
      h.db,
      input({ contactPhone: '0151 2345 6789', market: 'DE', channel: 'whatsapp', kind: 'no_consent', withdraw: 'marketing' }),
      actor,
    );
    expect(await h.db.$count(consentEvents)).toBe(events);
    const rows = await h.db
      .select()
      .from(suppressions)
      .where(eq(suppressions.valueHash, contactHash('phone', '+4915123456789')));
    expect(rows).toMatchObject([{ channel: 'whatsapp', source: 'complaint' }]);
  });

  it('refuses a complaint without a customer or contact point', () => {
    const parsed = createComplaintSchema.safeParse({ receivedAt: '2026-03-01T10:00', description: 'x', channel: 'email', kind: 'other' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message)).toContain('contact_required');
  });

  it('writes nothing for an unknown customer', async () => {
    const before = await h.db.$count(complaints);
    await expect(
      createComplaint(h.db, input({ customerId: '999999', channel: 'email', kind: 'other', withdraw: 'none' }), actor),
    ).rejects.toBeInstanceOf(ComplaintRefused);
    expect(await h.db.$count(complaints)).toBe(before);
  });

  it('moves a complaint to resolved with an audit entry', async () => {
    const { id } = await createComplaint(
      h.db,
      input({ customerId: String(customerId), channel: 'email', kind: 'wrong_content', withdraw: 'none' }),
      actor,
    );
    await updateComplaint(h.db, { complaintId: id, status: 'resolved', assigneeId: actor, resolutionNote: 'Apologised' }, actor);
    const [row] = await h.db.select().from(complaints).where(eq(complaints.id, id));
    expect(row).toMatchObject({ status: 'resolved', assigneeId: actor, resolutionNote: 'Apologised' });
    const audits = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'complaint'), eq(auditLog.entityId, String(id))));
    expect(audits.map((a) => a.action)).toEqual(['complaint.create', 'complaint.update']);
  });
});
