'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { getDb } from '@/db';
import type { ActionResult, CodeTranslator } from '@/lib/actions/result';
import { codeText, fieldErrorsOf, guarded } from '@/lib/actions/result';
import { requireRole } from '@/lib/auth/session';
import { createComplaintSchema, updateComplaintSchema } from '@/lib/complaints/input';
import { ComplaintRefused, createComplaint, updateComplaint } from '@/lib/complaints/record';
import { localToUtc } from '@/lib/i18n/time';
import { userTimeZone } from '@/lib/i18n/user-time-zone';

export type ComplaintActionState = ActionResult | null;

/** A refusal of the complaint rules, as the message the form shows. */
function refusedBy(t: CodeTranslator) {
  return (error: unknown): ComplaintActionState | undefined =>
    error instanceof ComplaintRefused ? { ok: false, message: t(error.code) } : undefined;
}

/** Support, sellers and admins log complaints; managers read them. */
export async function createComplaintAction(_prev: ComplaintActionState, formData: FormData): Promise<ComplaintActionState> {
  const user = await requireRole('admin', 'seller', 'support');
  const t = await getTranslations('complaints.errors');
  const parsed = createComplaintSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, message: t('fix'), fieldErrors: fieldErrorsOf(parsed.error, codeText(t, 'invalid')) };
  const receivedAt = localToUtc(parsed.data.receivedAt, await userTimeZone());
  if (!receivedAt) return { ok: false, message: t('fix'), fieldErrors: { receivedAt: t('received_required') } };
  return guarded(
    'logging a complaint',
    async () => {
      const { id } = await createComplaint(await getDb(), { ...parsed.data, receivedAt }, user.id);
      revalidatePath('/complaints');
      revalidatePath('/');
      if (parsed.data.customerId) revalidatePath(`/customers/${parsed.data.customerId}`);
      redirect(`/complaints/${id}?logged=1`);
    },
    { refused: refusedBy(t) },
  );
}

/** Status, assignee and resolution note; the same roles that log complaints. */
export async function updateComplaintAction(_prev: ComplaintActionState, formData: FormData): Promise<ComplaintActionState> {
  const user = await requireRole('admin', 'seller', 'support');
  const t = await getTranslations('complaints.errors');
  const parsed = updateComplaintSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, message: t('fix'), fieldErrors: fieldErrorsOf(parsed.error, codeText(t, 'invalid')) };
  return guarded(
    'updating a complaint',
    async () => {
      await updateComplaint(await getDb(), parsed.data, user.id);
      revalidatePath('/complaints');
      revalidatePath(`/complaints/${parsed.data.complaintId}`);
      revalidatePath('/');
      return { ok: true, message: (await getTranslations('complaints'))('updated') };
    },
    { refused: refusedBy(t) },
  );
}
