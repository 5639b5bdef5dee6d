'use server';

import { headers } from 'next/headers';
import { getTranslations } from 'next-intl/server';
import { z } from '@/lib/zod';
import { getDb } from '@/db';
import type { ActionResult } from '@/lib/actions/result';
import { guarded } from '@/lib/actions/result';
import { clientIp } from '@/lib/auth/client-ip';
import { MIN_PASSWORD_LENGTH } from '@/lib/auth/password';
import { resetPassword } from '@/lib/auth/reset';

export type ResetPasswordState = ActionResult<
  { message: string; email: string },
  { linkDead?: boolean },
  'password' | 'confirmation'
> | null;

const resetSchema = z.object({
  token: z.string().max(200).default(''),
  password: z.string().max(1024).default(''),
  confirmation: z.string().max(1024).default(''),
});

// Public: whoever holds the link may set the password once; the token is the only proof, checked in lib/auth/reset.
export async function resetPasswordAction(_prev: ResetPasswordState, formData: FormData): Promise<ResetPasswordState> {
  const t = await getTranslations('account');
  const parsed = resetSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, message: t('reset.unknown'), linkDead: true };
  const { token, password, confirmation } = parsed.data;
  return guarded('password reset', async () => {
    const result = await resetPassword(await getDb(), token, password, confirmation, clientIp(await headers()));
    if (result.ok) return { ok: true, message: t('reset.done'), email: result.email };
    if (result.error === 'unknown' || result.error === 'expired' || result.error === 'used') {
      return { ok: false, message: t(`reset.${result.error}`), linkDead: true };
    }
    const field = result.error === 'mismatch' ? 'confirmation' : 'password';
    return {
      ok: false,
      message: t('errors.fix_fields'),
      fieldErrors: { [field]: t(`errors.${result.error}`, { min: MIN_PASSWORD_LENGTH }) },
    };
  });
}
