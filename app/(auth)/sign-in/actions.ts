'use server';

import { AuthError, CredentialsSignin } from 'next-auth';
import { headers } from 'next/headers';
import { getTranslations } from 'next-intl/server';
import { getDb } from '@/db';
import type { ActionFailure } from '@/lib/actions/result';
import { guarded } from '@/lib/actions/result';
import { signIn } from '@/lib/auth/auth';
import { clientIp } from '@/lib/auth/client-ip';
import { credentialsSchema } from '@/lib/auth/credentials';
import { checkThrottle, throttleKeys } from '@/lib/auth/throttle';

export type SignInState = ActionFailure<{ email: string }> | null;

/** Only same-site paths, so the sign-in page cannot be used to send users elsewhere. */
function safeCallback(value: FormDataEntryValue | null): string {
  const path = typeof value === 'string' ? value : '';
  return path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/\\') ? path : '/';
}

// The one public action besides choosing a language: it is how a visitor becomes a user.
export async function signInWithPassword(_prev: SignInState, formData: FormData): Promise<SignInState> {
  const t = await getTranslations('signIn');
  const email = String(formData.get('email') ?? '');
  const parsed = credentialsSchema.safeParse({ email, password: formData.get('password') });
  if (!parsed.success) return { ok: false, message: t('invalid'), email };
  // A successful sign-in ends in a redirect, which the guard lets through.
  const failure = await guarded<SignInState>(
    'sign-in',
    async () => {
      await signIn('credentials', { ...parsed.data, redirectTo: safeCallback(formData.get('callbackUrl')) });
      return null;
    },
    {
      refused: async (error) => {
        if (error instanceof CredentialsSignin && error.code === 'throttled') {
          const status = await checkThrottle(await getDb(), throttleKeys(parsed.data.email, clientIp(await headers())));
          const seconds = status.locked ? status.retryAfterSeconds : 1;
          const message =
            seconds < 120
              ? (await getTranslations('account'))('signInThrottledSeconds', { seconds })
              : t('throttled', { minutes: Math.ceil(seconds / 60) });
          return { ok: false, message, email };
        }
        if (error instanceof AuthError && error.type === 'CredentialsSignin') return { ok: false, message: t('invalid'), email };
        return undefined;
      },
      message: t('unavailable'),
    },
  );
  return failure && { ...failure, email };
}
