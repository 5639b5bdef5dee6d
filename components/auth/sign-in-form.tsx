'use client';

import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import { signInWithPassword } from '@/app/(auth)/sign-in/actions';
import { Alert } from '@/components/ui/alert';
import { Field, Input } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const t = useTranslations('signIn');
  const [state, action] = useActionState(signInWithPassword, null);
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      {state && !state.ok && (
        <Alert tone="error">
          <span id="sign-in-error">{state.message}</span>
        </Alert>
      )}
      <Field id="email" label={t('email')}>
        <Input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={state?.email}
          aria-describedby={state && !state.ok ? 'sign-in-error' : undefined}
        />
      </Field>
      <Field id="password" label={t('password')}>
        <Input id="password" name="password" type="password" autoComplete="current-password" required />
      </Field>
      <SubmitButton pendingText={t('submitting')}>{t('submit')}</SubmitButton>
    </form>
  );
}
