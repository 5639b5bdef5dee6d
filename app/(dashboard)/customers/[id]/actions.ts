'use server';

import { headers } from 'next/headers';
import { revalidatePath } from 'next/cache';
import { getTranslations } from 'next-intl/server';
import { getDb } from '@/db';
import type { ActionResult } from '@/lib/actions/result';
import { codeText, fieldErrorsOf, guarded } from '@/lib/actions/result';
import { requireRole } from '@/lib/auth/session';
import type { Purpose } from '@/lib/consent';
import { PURPOSES } from '@/lib/consent';
import { recordConsentEvents } from '@/lib/consent-store/record';
import { evidenceOf, recordConsentSchema } from '@/lib/customers/record-input';
import { localToUtc } from '@/lib/i18n/time';
import { userTimeZone } from '@/lib/i18n/user-time-zone';
import { eraseCustomer } from '@/lib/privacy/erase';
import { confirmationMatches, eraseCustomerSchema } from '@/lib/privacy/erase-input';

export type RecordConsentState = ActionResult | null;

/** Sellers and support record grants, confirmations and withdrawals; managers read only. */
export async function recordConsentAction(_prev: RecordConsentState, formData: FormData): Promise<RecordConsentState> {
  const user = await requireRole('admin', 'seller', 'support');
  const t = await getTranslations('customer.record');
  const parsed = recordConsentSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success)
    return {
      ok: false,
      message: t('errors.fix'),
      fieldErrors: fieldErrorsOf(parsed.error, codeText(await getTranslations('customer.record.errors'), 'invalid')),
    };
  const input = parsed.data;
  const occurredAt = localToUtc(input.occurredAt, await userTimeZone());
  if (!occurredAt) return { ok: false, message: t('errors.fix'), fieldErrors: { occurredAt: t('errors.occurred_required') } };
  const h = await headers();
  const evidence = evidenceOf(input, {
    ip: h.get('x-forwarded-for')?.split(',')[0]?.trim() || undefined,
    userAgent: h.get('user-agent') ?? undefined,
  });
  const purposes: Purpose[] = input.purpose === 'all' ? [...PURPOSES] : [input.purpose];
  return guarded('recording consent', async () => {
    // A withdrawal of all purposes is one act of the customer: both events or neither.
    const result = await recordConsentEvents(
      await getDb(),
      purposes.map((purpose) => ({
        customerId: input.customerId,
        channel: input.channel,
        purpose,
        kind: input.kind,
        occurredAt,
        source: input.source,
        evidence,
      })),
      user.id,
    );
    if (!result.ok) return { ok: false, message: t(`errors.${result.code}`) };
    revalidatePath(`/customers/${input.customerId}`);
    return { ok: true, message: t('saved', { status: result.events.at(-1)?.state.status ?? 'unknown' }) };
  });
}

export type EraseCustomerState = ActionResult | null;

/**
 * Support, sellers and admins erase a customer on the person's request: with a reason (kept in the audit log) and the
 * confirmation word typed, since an erasure cannot be undone.
 */
export async function eraseCustomerAction(_prev: EraseCustomerState, formData: FormData): Promise<EraseCustomerState> {
  const user = await requireRole('admin', 'seller', 'support');
  const t = await getTranslations('privacy.erase');
  const parsed = eraseCustomerSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success)
    return { ok: false, message: t('errors.fix'), fieldErrors: fieldErrorsOf(parsed.error, codeText(t, 'errors.invalid')) };
  const input = parsed.data;
  if (!confirmationMatches(input.confirmation, t('confirmWord')))
    return { ok: false, message: t('errors.fix'), fieldErrors: { confirmation: t('errors.confirmation') } };
  return guarded('erasing a customer', async () => {
    const result = await eraseCustomer(await getDb(), { customerId: input.customerId, reason: input.reason }, user.id);
    if (!result.ok) return { ok: false, message: t(`errors.${result.code}`) };
    revalidatePath(`/customers/${input.customerId}`);
    revalidatePath('/customers');
    return { ok: true, message: t('done', { others: result.otherRecords }) };
  });
}
