'use server';

import { revalidatePath } from 'next/cache';
import { getTranslations } from 'next-intl/server';
import { z } from '@/lib/zod';
import { getDb } from '@/db';
import type { ActionResult } from '@/lib/actions/result';
import { guarded } from '@/lib/actions/result';
import { requireRole } from '@/lib/auth/session';
import type { MetaOutcome } from '@/lib/messages/meta';
import { refreshMetaStatus, submitDraftToMeta } from '@/lib/messages/meta';

export type MetaActionState = ActionResult | null;

const idSchema = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });

async function answer(outcome: MetaOutcome, id: number, done: 'submitted' | 'refreshed'): Promise<MetaActionState> {
  const t = await getTranslations('whatsappConnection');
  revalidatePath('/messages');
  revalidatePath(`/messages/${id}`);
  if (outcome.ok) {
    const status = t.has(`metaStatus.${outcome.status}`)
      ? t(`metaStatus.${outcome.status}`)
      : t('metaStatus.other', { status: outcome.status });
    return { ok: true, message: t(outcome.adopted ? 'adopted' : done, { status }) };
  }
  if (outcome.refusal === 'meta') {
    const { error } = outcome;
    const code = String(error.code ?? error.httpStatus);
    return {
      ok: false,
      message: error.detail
        ? t('refusals.metaDetail', { code, title: error.title, detail: error.detail })
        : t('refusals.meta', { code, title: error.title }),
    };
  }
  return { ok: false, message: t(`refusals.${outcome.refusal}`) };
}

async function onDraft(
  formData: FormData,
  what: string,
  run: (draftId: number) => Promise<MetaOutcome>,
  done: 'submitted' | 'refreshed',
): Promise<MetaActionState> {
  const parsed = idSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, message: (await getTranslations('whatsappConnection'))('refusals.not_found') };
  return guarded(what, async () => answer(await run(parsed.data.id), parsed.data.id, done));
}

/** Sellers and admins send an approved draft's template to Meta for review. */
export async function submitTemplateToMetaAction(_prev: MetaActionState, formData: FormData): Promise<MetaActionState> {
  const user = await requireRole('admin', 'seller');
  return onDraft(formData, 'submitting a template to Meta', async (id) => submitDraftToMeta(await getDb(), id, user.id), 'submitted');
}

/** Sellers and admins read Meta's review status of a submitted template again. */
export async function refreshTemplateStatusAction(_prev: MetaActionState, formData: FormData): Promise<MetaActionState> {
  const user = await requireRole('admin', 'seller');
  return onDraft(formData, 'reading a template status at Meta', async (id) => refreshMetaStatus(await getDb(), id, user.id), 'refreshed');
}
