'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { z } from '@/lib/zod';
import { getDb } from '@/db';
import { getDraft } from '@/lib/messages/store';
import type { ActionResult } from '@/lib/actions/result';
import { guarded } from '@/lib/actions/result';
import { requireRole } from '@/lib/auth/session';
import { controlCampaign, createSendCampaign } from '@/lib/campaigns/create';
import { campaignSendJob } from '@/lib/jobs/campaign-send';
import { enqueueLater } from '@/lib/jobs/queue';
import { checkConnection, fetchTemplateStatus } from '@/lib/whatsapp/graph';
import { graphConfigState } from '@/lib/whatsapp/settings';
import type { Queryable } from '@/db';
import { linkBase } from '@/lib/preferences/links';

export type CampaignActionState = ActionResult | null;

const sendSchema = z.object({
  id: z.coerce.number().int().positive().max(2_147_483_647),
  // Blank: the default of the settings; 0: no limit (Meta's own limit then decides).
  rate: z
    .string()
    .trim()
    .regex(/^\d{0,4}$/)
    .transform((v) => (v === '' ? null : Number(v)))
    .pipe(z.number().int().min(0).max(1000).nullable()),
});

const controlSchema = z.object({
  id: z.coerce.number().int().positive().max(2_147_483_647),
  control: z.enum(['pause', 'resume', 'cancel']),
});

const queueSender = (q: Queryable, phoneNumberId: string) => enqueueLater(campaignSendJob, { phoneNumberId }, new Date(), q);

/**
 * Sends an approved draft through the Cloud API. Everything that would stop it is checked before anything is queued:
 * the connection is configured and Meta accepts its token, Meta approved the template, someone may receive it.
 */
export async function sendCampaignAction(_prev: CampaignActionState, formData: FormData): Promise<CampaignActionState> {
  const user = await requireRole('admin', 'seller');
  const t = await getTranslations('campaigns');
  const parsed = sendSchema.safeParse({ id: formData.get('id'), rate: formData.get('rate') ?? '' });
  if (!parsed.success) return { ok: false, message: t('errors.invalid'), fieldErrors: { rate: t('errors.rate') } };
  const result = await guarded('sending a campaign', async (): Promise<CampaignActionState | { ok: true; campaignId: number }> => {
    const db = await getDb();
    const draft = await getDraft(db, parsed.data.id);
    if (!draft) return { ok: false, message: t('errors.not_found') };
    const state = await graphConfigState(db);
    if (!state.ok) return { ok: false, message: t(`errors.${state.problem}`) };
    const connection = await checkConnection(state.config);
    if (!connection.ok) return { ok: false, message: t('errors.connection', { problem: connection.problem, detail: connection.title }) };
    const template = await fetchTemplateStatus(state.config, draft.name, draft.language);
    if (!template.ok) return { ok: false, message: t('errors.template_check', { detail: template.title }) };
    if (!template.found) return { ok: false, message: t('errors.template_missing') };
    if (template.status !== 'APPROVED') return { ok: false, message: t('errors.template_status', { status: template.status }) };
    // The sender builds each recipient's preference link from the configured address: refused here, before anything
    // is queued, when a variable asks for one and none can be built.
    const links = linkBase();
    if (draft.variableFields.includes('preference_link') && !links.ok) {
      return { ok: false, message: (await getTranslations('customerLinks'))(links.reason) };
    }
    const created = await createSendCampaign(db, draft.id, user, {
      phoneNumberId: state.config.phoneNumberId,
      ratePerSecond: parsed.data.rate,
      queue: queueSender,
    });
    if (!created.ok) return { ok: false, message: t(`refusals.${created.refusal}`) };
    revalidatePath('/messages');
    revalidatePath(`/messages/${draft.id}`);
    return { ok: true, campaignId: created.campaignId };
  });
  if (result && result.ok && 'campaignId' in result) redirect(`/messages/campaigns/${result.campaignId}`);
  return result as CampaignActionState;
}

/** Pause, resume or cancel a campaign being sent: managers and admins. */
export async function controlCampaignAction(_prev: CampaignActionState, formData: FormData): Promise<CampaignActionState> {
  const user = await requireRole('admin', 'manager');
  const t = await getTranslations('campaigns');
  const parsed = controlSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, message: t('errors.invalid') };
  return guarded(`${parsed.data.control} of a campaign`, async () => {
    const db = await getDb();
    const result = await controlCampaign(db, parsed.data.id, parsed.data.control, user, queueSender);
    if (!result.ok) return { ok: false, message: t(`refusals.${result.refusal}`) };
    revalidatePath(`/messages/campaigns/${parsed.data.id}`);
    return { ok: true, message: t(`done.${parsed.data.control}`) };
  });
}
