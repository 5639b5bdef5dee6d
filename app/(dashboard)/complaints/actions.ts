'use server';

import { cookies } from 'next/headers';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { getDb } from '@/db';
import { requireRole } from '@/lib/auth/session';
import { createComplaintSchema, updateComplaintSchema } from '@/lib/complaints/input';
import { ComplaintRefused, createComplaint, updateComplaint } from '@/lib/complaints/record';
import { DEFAULT_TIME_ZONE, TIME_ZONE_COOKIE, isTimeZone } from '@/lib/i18n/config';
import { localToUtc } from '@/lib/i18n/time';
import { requestLogger } from '@/lib/log';

export type ComplaintActionState =
  | { ok: true; message: string }
  | { ok: false; message: string; fieldErrors?: Record<string, string> }
  | null;

async function fieldErrorsOf(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>) {
  const t = await getTranslations('complaints.errors');
  return Object.fromEntries(issues.map((i) => [String(i.path[0]), t.has(i.message) ? t(i.message) : t('invalid')]));
}

/** Support, sellers and admins log complaints; managers read them. */
export async function createComplaintAction(_prev: ComplaintActionState, formData: FormData): Promise<ComplaintActionState> {
  const user = await requireRole('admin', 'seller', 'support');
  const t = await getTranslations('complaints.errors');
  const parsed = createComplaintSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, message: t('fix'), fieldErrors: await fieldErrorsOf(parsed.error.issues) };
  const tz = (await cookies()).get(TIME_ZONE_COOKIE)?.value;
  const receivedAt = localToUtc(parsed.data.receivedAt, isTimeZone(tz) ? tz : DEFAULT_TIME_ZONE);
  if (!receivedAt) return { ok: false, message: t('fix'), fieldErrors: { receivedAt: t('received_required') } };
  let id: number;
  try {
    const created = await createComplaint(await getDb(), { ...parsed.data, receivedAt }, user.id);
    id = created.id;
  } catch (error) {
    if (error instanceof ComplaintRefused) return { ok: false, message: t(error.code) };
    (await requestLogger()).error({ err: error }, 'logging a complaint failed');
    return { ok: false, message: (await getTranslations('errors'))('genericText') };
  }
  revalidatePath('/complaints');
  revalidatePath('/');
  if (parsed.data.customerId) revalidatePath(`/customers/${parsed.data.customerId}`);
  redirect(`/complaints/${id}?logged=1`);
}

/** Status, assignee and resolution note; the same roles that log complaints. */
export async function updateComplaintAction(_prev: ComplaintActionState, formData: FormData): Promise<ComplaintActionState> {
  const user = await requireRole('admin', 'seller', 'support');
  const t = await getTranslations('complaints.errors');
  const parsed = updateComplaintSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, message: t('fix'), fieldErrors: await fieldErrorsOf(parsed.error.issues) };
  try {
    await updateComplaint(await getDb(), parsed.data, user.id);
  } catch (error) {
    if (error instanceof ComplaintRefused) return { ok: false, message: t(error.code) };
    (await requestLogger()).error({ err: error }, 'updating a complaint failed');
    return { ok: false, message: (await getTranslations('errors'))('genericText') };
  }
  revalidatePath('/complaints');
  revalidatePath(`/complaints/${parsed.data.complaintId}`);
  revalidatePath('/');
  return { ok: true, message: (await getTranslations('complaints'))('updated') };
}
