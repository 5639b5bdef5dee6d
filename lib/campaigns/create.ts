// Sending an approved draft through the Cloud API: the campaign, its recipients (decided as the export decides them)
// and the job that sends them, in one transaction, so that either all of it is queued or nothing is.
import { eq, sql } from 'drizzle-orm';
import type { Db, Queryable } from '@/db';
import { campaigns, messageDrafts } from '@/db/schema';
import { writeAudit } from '@/lib/audit/write';
import type { Role } from '@/lib/auth/roles';
import { decideRecipients } from '@/lib/messages/export';
import { ENTITY, audienceOf, reviewOf } from '@/lib/messages/store';
import type { Refusal } from '@/lib/messages/workflow';
import { takeStep } from '@/lib/messages/workflow';

export type CreateRefusal = Refusal | 'not_found' | 'no_recipients' | 'active';
export type CreateResult = { ok: true; campaignId: number; recipientCount: number } | { ok: false; refusal: CreateRefusal };

export type SendSetup = {
  phoneNumberId: string;
  /** Messages per second for this campaign; null: the setting's default; 0: no limit. */
  ratePerSecond: number | null;
  /** Queues the sender of the number inside the transaction (the job queue, or a test's stand-in). */
  queue: (q: Queryable, phoneNumberId: string) => Promise<unknown>;
};

class NoRecipients extends Error {}

export async function createSendCampaign(
  db: Db,
  draftId: number,
  user: { id: number; role: Role },
  setup: SendSetup,
  now = new Date(),
): Promise<CreateResult> {
  try {
    return await db.transaction(async (tx) => {
      const [draft] = await tx.select().from(messageDrafts).where(eq(messageDrafts.id, draftId)).for('update');
      if (!draft) return { ok: false, refusal: 'not_found' } as const;
      // Sending takes the export's step: an approved draft leaves for its recipients once, by file or by Zgoda.
      const step = takeStep('export', { draft, user, checksPass: reviewOf(draft).issues.length === 0 });
      if (!step.ok) return { ok: false, refusal: step.refusal } as const;
      const [campaign] = await tx
        .insert(campaigns)
        .values({
          draftId,
          exportedBy: user.id,
          exportedAt: now,
          recipientCount: 0,
          kind: 'send',
          status: 'queued',
          phoneNumberId: setup.phoneNumberId,
          ratePerSecond: setup.ratePerSecond,
        })
        .returning({ id: campaigns.id });
      const campaignId = campaign!.id;
      const recipientCount = await decideRecipients(tx, campaignId, draft, now, 'queued');
      if (recipientCount === 0) throw new NoRecipients();
      await tx.update(campaigns).set({ recipientCount }).where(eq(campaigns.id, campaignId));
      await tx.update(messageDrafts).set({ status: step.next, updatedAt: now }).where(eq(messageDrafts.id, draftId));
      await writeAudit(tx, {
        actorId: user.id,
        action: 'message_draft.export',
        entity: ENTITY,
        entityId: draftId,
        before: { status: draft.status },
        after: {
          status: step.next,
          kind: 'send',
          campaignId,
          recipientCount,
          audience: audienceOf(draft),
          ratePerSecond: setup.ratePerSecond,
        },
      });
      await setup.queue(tx, setup.phoneNumberId);
      return { ok: true, campaignId, recipientCount } as const;
    });
  } catch (error) {
    if (error instanceof NoRecipients) return { ok: false, refusal: 'no_recipients' };
    throw error;
  }
}

export type CampaignControl = 'pause' | 'resume' | 'cancel';
export const CONTROL_ROLES: readonly Role[] = ['admin', 'manager'];

/**
 * Pause, resume or cancel, by a person. Cancelling skips every recipient still queued (those in flight get their
 * answer); resuming clears the reason Meta or a person paused it for and queues the sender again.
 */
export async function controlCampaign(
  db: Db,
  campaignId: number,
  control: CampaignControl,
  user: { id: number; role: Role },
  queue: (q: Queryable, phoneNumberId: string) => Promise<unknown>,
  now = new Date(),
): Promise<{ ok: true } | { ok: false; refusal: 'role' | 'not_found' | 'status' }> {
  if (!CONTROL_ROLES.includes(user.role)) return { ok: false, refusal: 'role' };
  return db.transaction(async (tx) => {
    const [campaign] = await tx.select().from(campaigns).where(eq(campaigns.id, campaignId)).for('update');
    if (!campaign || campaign.kind !== 'send') return { ok: false, refusal: 'not_found' } as const;
    const from = { pause: ['queued', 'sending'], resume: ['paused'], cancel: ['queued', 'sending', 'paused'] }[control];
    if (!from.includes(campaign.status)) return { ok: false, refusal: 'status' } as const;
    if (control === 'pause')
      await tx.update(campaigns).set({ status: 'paused', pausedReason: 'manual', pausedDetail: null }).where(eq(campaigns.id, campaignId));
    if (control === 'resume') {
      await tx
        .update(campaigns)
        .set({ status: campaign.startedAt ? 'sending' : 'queued', pausedReason: null, pausedDetail: null })
        .where(eq(campaigns.id, campaignId));
      if (campaign.phoneNumberId) await queue(tx, campaign.phoneNumberId);
    }
    if (control === 'cancel') {
      await tx.update(campaigns).set({ status: 'cancelled', finishedAt: now }).where(eq(campaigns.id, campaignId));
      await tx.execute(sql`update campaign_recipients set status = 'skipped', reason = 'cancelled'
        where campaign_id = ${campaignId} and status = 'queued'`);
    }
    await writeAudit(tx, {
      actorId: user.id,
      action: `campaign.${control}`,
      entity: 'campaign',
      entityId: campaignId,
      before: { status: campaign.status, pausedReason: campaign.pausedReason },
      after: { status: { pause: 'paused', resume: campaign.startedAt ? 'sending' : 'queued', cancel: 'cancelled' }[control] },
    });
    return { ok: true } as const;
  });
}
