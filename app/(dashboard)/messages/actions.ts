'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { z } from '@/lib/zod';
import { getDb } from '@/db';
import type { ActionResult } from '@/lib/actions/result';
import { guarded } from '@/lib/actions/result';
import { requireRole } from '@/lib/auth/session';
import { draftInputSchema } from '@/lib/messages/input';
import { saveDraft, stepDraft } from '@/lib/messages/store';

export type DraftActionState = ActionResult | null;

const idSchema = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });
const reviewSchema = idSchema.extend({ comment: z.string().trim().max(2000).optional().default('') });

function revalidate(id?: number) {
  revalidatePath('/messages');
  if (id) revalidatePath(`/messages/${id}`);
}

/** Sellers and admins write drafts; saving a reviewed draft sends it back to draft. */
export async function saveDraftAction(_prev: DraftActionState, formData: FormData): Promise<DraftActionState> {
  const user = await requireRole('admin', 'seller');
  const t = await getTranslations('messages');
  const parsed = draftInputSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, message: t('errors.invalid') };
  if (!parsed.data.name) return { ok: false, message: t('errors.fix'), fieldErrors: { name: t('issues.name_required') } };
  return guarded('saving a message draft', async () => {
    const db = await getDb();
    const result = await db.transaction((tx) => saveDraft(tx, parsed.data, user));
    if (!result.ok) {
      if (result.refusal === 'name_taken') return { ok: false, message: t('errors.fix'), fieldErrors: { name: t('errors.name_taken') } };
      return { ok: false, message: t(`refusals.${result.refusal}`) };
    }
    revalidate(result.id);
    if (!parsed.data.id) redirect(`/messages/${result.id}`);
    return { ok: true, message: result.reopened ? t('savedBackToDraft') : t('saved') };
  });
}

async function step(
  formData: FormData,
  which: 'submit' | 'approve' | 'reject',
  user: { id: number; role: 'admin' | 'seller' | 'support' | 'manager' },
): Promise<DraftActionState> {
  const t = await getTranslations('messages');
  const parsed = reviewSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, message: t('errors.invalid') };
  const comment = parsed.data.comment || null;
  if (which === 'reject' && !comment)
    return { ok: false, message: t('errors.fix'), fieldErrors: { comment: t('errors.comment_required') } };
  return guarded(`${which} of a message draft`, async () => {
    const db = await getDb();
    const result = await db.transaction((tx) => stepDraft(tx, parsed.data.id, which, user, comment));
    if (!result.ok) return { ok: false, message: t(`refusals.${result.refusal}`) };
    revalidate(parsed.data.id);
    return { ok: true, message: t(`done.${which}`) };
  });
}

/** The author (or another seller or admin) hands a draft in for review once every check passes. */
export async function submitDraftAction(_prev: DraftActionState, formData: FormData): Promise<DraftActionState> {
  const user = await requireRole('admin', 'seller');
  return step(formData, 'submit', user);
}

/** Managers and admins approve; a marketing draft never by its own author. */
export async function approveDraftAction(_prev: DraftActionState, formData: FormData): Promise<DraftActionState> {
  const user = await requireRole('admin', 'manager');
  return step(formData, 'approve', user);
}

/** Managers and admins reject, with a comment saying what to change. */
export async function rejectDraftAction(_prev: DraftActionState, formData: FormData): Promise<DraftActionState> {
  const user = await requireRole('admin', 'manager');
  return step(formData, 'reject', user);
}
