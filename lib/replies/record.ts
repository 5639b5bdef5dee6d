// Deciding a WhatsApp reply from the review queue: the withdrawal (with the reply as evidence) on every customer record
// holding the phone, or the complaint it becomes, or "not an objection"; the queue entry and the audit entry, in one
// transaction. A reply is decided once.
import { eq } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { replyReviews, users } from '@/db/schema';
import { writeAudit } from '@/lib/audit/write';
import { createComplaint } from '@/lib/complaints/record';
import { normalizeContact } from '@/lib/suppressions';
import { customersHolding, withdrawContactPoint } from '@/lib/suppressions/contact-point';

export const REPLY_DECISIONS = ['withdraw_marketing', 'withdraw_all', 'complaint', 'not_objection'] as const;
export type ReplyDecision = (typeof REPLY_DECISIONS)[number];

/** The ledger source of a withdrawal decided from a reviewed reply. */
export const REPLY_SOURCE = 'whatsapp_reply';

export type ReplyRefusal = 'not_found' | 'already_decided';
export class ReplyReviewRefused extends Error {
  constructor(
    readonly code: ReplyRefusal,
    readonly decided?: { decision: ReplyDecision; by: string | null; at: Date },
  ) {
    super(code);
  }
}

export type ReplyDecisionResult = {
  decision: ReplyDecision;
  customers: number[];
  withdrawn: number;
  suppressed: boolean;
  complaintId: number | null;
};

/** Decides one open reply; throws ReplyReviewRefused (writing nothing) when it does not exist or was decided already. */
export async function decideReply(
  db: Queryable,
  input: { reviewId: number; decision: ReplyDecision },
  actor: { id: number; name: string },
  now: Date = new Date(),
): Promise<ReplyDecisionResult> {
  return db.transaction(async (tx) => {
    // Locked, so that two people clicking at once decide it once.
    const [review] = await tx.select().from(replyReviews).where(eq(replyReviews.id, input.reviewId)).for('update');
    if (!review) throw new ReplyReviewRefused('not_found');
    if (review.status === 'decided') {
      const [by] = review.decidedBy ? await tx.select({ name: users.name }).from(users).where(eq(users.id, review.decidedBy)) : [];
      throw new ReplyReviewRefused('already_decided', { decision: review.decision!, by: by?.name ?? null, at: review.decidedAt! });
    }
    // The records holding the phone: found by the withdrawal itself, or looked up for the other decisions.
    let owners: number[];
    let withdrawn = 0;
    let suppressed = false;
    let complaintId: number | null = null;
    if (input.decision === 'withdraw_marketing' || input.decision === 'withdraw_all') {
      // The phone is a person: every record holding it is withdrawn, and the phone is suppressed for what was withdrawn
      // (so a record that gets it later starts withdrawn too).
      const result = await withdrawContactPoint(
        tx,
        {
          kind: 'phone',
          value: review.phone,
          channels: ['whatsapp'],
          purposes: input.decision === 'withdraw_all' ? 'all' : 'marketing',
          // When the customer objected, not when someone read it.
          occurredAt: review.receivedAt,
          source: REPLY_SOURCE,
          evidence: {
            messageId: review.messageId,
            customerText: review.text,
            reason: `WhatsApp reply reviewed by ${actor.name}: ${input.decision === 'withdraw_all' ? 'withdraw all WhatsApp messages' : 'withdraw WhatsApp marketing'}`,
          },
          keyBase: `reply-review:${review.id}`,
          reason: `whatsapp reply review ${review.id}`,
        },
        actor.id,
        now,
      );
      if (!result.ok) throw new Error(`The reply's withdrawal was refused: ${result.message}`);
      owners = result.customerIds;
      withdrawn = result.events.filter((e) => !e.duplicate).length;
      suppressed = true;
    } else {
      owners = (await customersHolding(tx, 'phone', [review.phone])).get(normalizeContact('phone', review.phone)) ?? [];
    }
    if (input.decision === 'complaint') {
      const created = await createComplaint(
        tx,
        {
          customerId: owners[0],
          contactPhone: owners.length === 0 ? review.phone : undefined,
          contactEmail: undefined,
          channel: 'whatsapp',
          kind: 'other',
          description: `WhatsApp reply (${review.messageId}): "${review.text}"`,
          receivedAt: review.receivedAt,
          withdraw: 'none',
        },
        actor.id,
        now,
      );
      complaintId = created.id;
    }

    await tx
      .update(replyReviews)
      .set({ status: 'decided', decision: input.decision, complaintId, decidedBy: actor.id, decidedAt: now })
      .where(eq(replyReviews.id, review.id));
    await writeAudit(tx, {
      actorId: actor.id,
      action: 'reply_review.decide',
      entity: 'reply_review',
      entityId: review.id,
      before: { status: 'open' },
      after: {
        status: 'decided',
        decision: input.decision,
        messageId: review.messageId,
        customers: owners,
        withdrawn,
        suppressed,
        complaintId,
      },
    });
    return { decision: input.decision, customers: owners, withdrawn, suppressed, complaintId };
  });
}
