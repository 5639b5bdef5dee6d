'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import { z } from '@/lib/zod';
import { getDb } from '@/db';
import type { ActionResult } from '@/lib/actions/result';
import { guarded } from '@/lib/actions/result';
import { requireRole } from '@/lib/auth/session';
import { REPLY_DECISIONS, ReplyReviewRefused, decideReply } from '@/lib/replies/record';

export type ReplyActionState = ActionResult | null;

const decideSchema = z.object({ reviewId: z.coerce.number().int().positive(), decision: z.enum(REPLY_DECISIONS) });

/** One click on a reply in the queue. Support, sellers and admins decide; managers read the queue only. */
export async function decideReplyAction(_prev: ReplyActionState, formData: FormData): Promise<ReplyActionState> {
  const user = await requireRole('admin', 'seller', 'support');
  const t = await getTranslations('replies');
  const parsed = decideSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, message: t('errors.invalid') };
  return guarded(
    'deciding a reply',
    async () => {
      const result = await decideReply(await getDb(), parsed.data, { id: user.id, name: user.name });
      revalidatePath('/replies');
      revalidatePath('/');
      for (const id of result.customers) revalidatePath(`/customers/${id}`);
      if (result.complaintId) revalidatePath('/complaints');
      redirect(`/replies?decided=${result.decision}${result.complaintId ? `&complaint=${result.complaintId}` : ''}`);
    },
    {
      refused: async (error) => {
        if (!(error instanceof ReplyReviewRefused)) return undefined;
        if (error.code === 'already_decided' && error.decided) {
          const format = await getFormatter();
          return {
            ok: false,
            message: t('errors.already_decided', {
              by: error.decided.by ?? t('someone'),
              at: format.dateTime(error.decided.at, 'short'),
              decision: t(error.decided.decision),
            }),
          };
        }
        return { ok: false, message: t('errors.not_found') };
      },
    },
  );
}
