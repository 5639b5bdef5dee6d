'use server';

import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { AuthError } from 'next-auth';
import { getTranslations } from 'next-intl/server';
import { z } from '@/lib/zod';
import { getDb } from '@/db';
import type { ActionFailure } from '@/lib/actions/result';
import { guarded } from '@/lib/actions/result';
import { changeOwnPassword, signOutEverywhere } from '@/lib/auth/account';
import { signIn, signOut } from '@/lib/auth/auth';
import { clientIp } from '@/lib/auth/client-ip';
import { MIN_PASSWORD_LENGTH } from '@/lib/auth/password';
import { requireRole } from '@/lib/auth/session';

/** Both actions end in a redirect when they succeed, so the only answer is a failure. */
export type AccountActionState = ActionFailure<object, 'current' | 'next' | 'confirmation'> | null;

const passwordField = z.string().max(1024).default('');
const changeSchema = z.object({ current: passwordField, next: passwordField, confirmation: passwordField });
const everywhereSchema = z.object({ confirm: z.literal('everywhere') });

/** Which field each refusal belongs to, so the message sits under it. */
const FIELD_OF = {
  wrong_current: 'current',
  too_short: 'next',
  too_long: 'next',
  too_common: 'next',
  same_as_current: 'next',
  mismatch: 'confirmation',
} as const;

export async function changePasswordAction(_prev: AccountActionState, formData: FormData): Promise<AccountActionState> {
  const user = await requireRole();
  const t = await getTranslations('account');
  const parsed = changeSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, message: t('errors.fix_fields') };
  const { current, next, confirmation } = parsed.data;
  if (!current) return { ok: false, message: t('errors.fix_fields'), fieldErrors: { current: t('errors.current_required') } };
  const failed = await guarded<AccountActionState>('password change', async () => {
    const result = await changeOwnPassword(await getDb(), user.id, { current, next, confirmation }, clientIp(await headers()));
    if (result.ok) return null;
    if (result.error === 'not_found') return { ok: false, message: (await getTranslations('errors'))('genericText') };
    if (result.error === 'throttled') return { ok: false, message: t('errors.throttled', { seconds: result.retryAfterSeconds }) };
    return {
      ok: false,
      message: t('errors.fix_fields'),
      fieldErrors: { [FIELD_OF[result.error]]: t(`errors.${result.error}`, { min: MIN_PASSWORD_LENGTH }) },
    };
  });
  if (failed) return failed;
  // The change ended every session, this one too: signing in again with the new password keeps this browser in.
  // The redirect carries the new cookie, so the page that says "changed" is rendered with the new session.
  try {
    await signIn('credentials', { email: user.email, password: next, redirectTo: '/account?changed=1' });
  } catch (error) {
    if (error instanceof AuthError) redirect('/sign-in');
    throw error;
  }
  return null;
}

export async function signOutEverywhereAction(_prev: AccountActionState, formData: FormData): Promise<AccountActionState> {
  const user = await requireRole();
  if (!everywhereSchema.safeParse(Object.fromEntries(formData)).success) {
    return { ok: false, message: (await getTranslations('account'))('errors.confirm_everywhere') };
  }
  const failed = await guarded('signing out everywhere', async () => {
    await signOutEverywhere(await getDb(), user.id, clientIp(await headers()));
    return null;
  });
  if (failed) return failed;
  await signOut({ redirectTo: '/sign-in' });
  return null;
}
