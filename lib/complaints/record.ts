// Writing complaints: the complaint, the withdrawal it asks for (with the complaint as evidence) on every record holding
// the contact point it is about, the suppression of that contact point, and the audit entries, in one transaction.
import { eq } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { complaints, customers } from '@/db/schema';
import { writeAudit } from '@/lib/audit/write';
import type { Purpose } from '@/lib/consent';
import { PURPOSES } from '@/lib/consent';
import { recordConsentEvents } from '@/lib/consent-store/record';
import { withdrawContactPoint } from '@/lib/suppressions/contact-point';
import type { CreateComplaintInput, UpdateComplaintInput } from './input';
import { contactForChannel } from './input';

export const COMPLAINT_SOURCE = 'complaint';

export type ComplaintRefusal = 'customer_not_found' | 'market_required' | 'in_future' | 'not_found';
export class ComplaintRefused extends Error {
  constructor(readonly code: ComplaintRefusal) {
    super(code);
  }
}

/** Logs a complaint; throws ComplaintRefused (rolling everything back) when a rule says no. */
export async function createComplaint(
  db: Queryable,
  input: Omit<CreateComplaintInput, 'receivedAt'> & { receivedAt: Date },
  actorId: number,
  now = new Date(),
) {
  return db.transaction(async (tx) => {
    let market = input.market ?? null;
    if (input.customerId) {
      const [customer] = await tx.select({ market: customers.market }).from(customers).where(eq(customers.id, input.customerId));
      if (!customer) throw new ComplaintRefused('customer_not_found');
      market ??= customer.market;
    }
    if (input.receivedAt.getTime() > now.getTime() + 5 * 60_000) throw new ComplaintRefused('in_future');
    const [row] = await tx
      .insert(complaints)
      .values({
        customerId: input.customerId ?? null,
        contactPhone: input.customerId ? null : (input.contactPhone ?? null),
        contactEmail: input.customerId ? null : (input.contactEmail ?? null),
        channel: input.channel,
        market,
        kind: input.kind,
        description: input.description,
        campaignId: input.campaignId ?? null,
        receivedAt: input.receivedAt,
        urgent: input.kind === 'legal_notice',
        createdBy: actorId,
      })
      .returning({ id: complaints.id });
    const id = row!.id;
    let withdrawn = 0;
    let records = 0;
    if (input.withdraw !== 'none') {
      const purposes: readonly Purpose[] = input.withdraw === 'all' ? PURPOSES : ['marketing'];
      const evidence = { complaintId: id, customerText: input.description.slice(0, 500) };
      // The contact point the complaint is about: the customer's own for the channel, or the one support typed in.
      let contact = contactForChannel(input.channel, input);
      if (input.customerId) {
        const [held] = await tx
          .select({ email: customers.email, phone: customers.phone })
          .from(customers)
          .where(eq(customers.id, input.customerId));
        contact = contactForChannel(input.channel, { contactEmail: held?.email ?? undefined, contactPhone: held?.phone ?? undefined });
      }
      if (contact) {
        // A contact point is a person: every record holding it is withdrawn, and the contact point suppressed.
        const result = await withdrawContactPoint(
          tx,
          {
            ...contact,
            channels: [input.channel],
            purposes: input.withdraw,
            occurredAt: input.receivedAt,
            source: COMPLAINT_SOURCE,
            evidence,
            keyBase: `complaint:${id}`,
            reason: `complaint ${id}`,
          },
          actorId,
          now,
        );
        if (!result.ok) throw new ComplaintRefused(result.code === 'in_future' ? 'in_future' : 'customer_not_found');
        withdrawn = result.events.filter((e) => !e.duplicate).length;
        records = result.customerIds.length;
      } else if (input.customerId) {
        // A customer without a contact point on the channel: the withdrawal stays with that record.
        const customerId = input.customerId;
        const result = await recordConsentEvents(
          tx,
          purposes.map((purpose) => ({
            customerId,
            channel: input.channel,
            purpose,
            kind: 'withdrawn' as const,
            occurredAt: input.receivedAt,
            source: COMPLAINT_SOURCE,
            evidence,
            idempotencyKey: `complaint:${id}:${purpose}`,
          })),
          actorId,
          now,
        );
        if (!result.ok) throw new ComplaintRefused(result.code === 'in_future' ? 'in_future' : 'customer_not_found');
        withdrawn = result.events.length;
        records = 1;
      }
    }
    await writeAudit(tx, {
      actorId,
      action: 'complaint.create',
      entity: 'complaint',
      entityId: id,
      after: {
        kind: input.kind,
        channel: input.channel,
        market,
        customerId: input.customerId ?? null,
        withdraw: input.withdraw,
        withdrawn,
        records,
      },
    });
    return { id, withdrawn };
  });
}

/** Moves a complaint along (status, assignee, resolution note), with an audit entry. */
export async function updateComplaint(db: Queryable, input: UpdateComplaintInput, actorId: number) {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ status: complaints.status, assigneeId: complaints.assigneeId, resolutionNote: complaints.resolutionNote })
      .from(complaints)
      .where(eq(complaints.id, input.complaintId))
      .for('update');
    if (!before) throw new ComplaintRefused('not_found');
    const after = { status: input.status, assigneeId: input.assigneeId ?? null, resolutionNote: input.resolutionNote ?? null };
    await tx
      .update(complaints)
      .set({ ...after, updatedAt: new Date() })
      .where(eq(complaints.id, input.complaintId));
    await writeAudit(tx, { actorId, action: 'complaint.update', entity: 'complaint', entityId: input.complaintId, before, after });
    return after;
  });
}
