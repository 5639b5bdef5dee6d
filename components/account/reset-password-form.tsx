'use client';

import { useActionState } from 'react';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { resetPasswordAction } from '@/app/(auth)/reset-password/actions';
import { Alert } from '@/components/ui/alert';
import { Field, Input } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';

export function ResetPasswordForm({ token, email, intro }: { token: string; email: string; intro: string }) {
  const t = useTranslations('account');
  const [state, action] = useActionState(resetPasswordAction, null);
  if (state?.ok || (state && !state.ok && state.linkDead)) {
    return (
      <div className="space-y-4 text-sm">
        <Alert tone={state.ok ? 'success' : 'error'}>
          <span>{state.message}</span>
        </Alert>
        <Link href="/sign-in" className="font-medium text-brand-700 underline">
          {t('reset.toSignIn')}
        </Link>
      </div>
    );
  }
  const errors = state?.fieldErrors;
  return (
    <form action={action} className="space-y-4" noValidate>
      <p className="text-sm text-slate-600">{intro}</p>
      {state && (
        <Alert tone="error">
          <span>{state.message}</span>
        </Alert>
      )}
      <input type="hidden" name="token" value={token} />
      <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
      <Field id="reset-password" label={t('new')} error={errors?.password} hint={t('newHint')}>
        <Input id="reset-password" name="password" type="password" required autoComplete="new-password" error={errors?.password} />
      </Field>
      <Field id="reset-confirmation" label={t('confirmation')} error={errors?.confirmation}>
        <Input
          id="reset-confirmation"
          name="confirmation"
          type="password"
          required
          autoComplete="new-password"
          error={errors?.confirmation}
        />
      </Field>
      <SubmitButton pendingText={t('saving')}>{t('reset.submit')}</SubmitButton>
    </form>
  );
}
