'use client';

import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import type { AccountActionState } from '@/app/(dashboard)/account/actions';
import { changePasswordAction, signOutEverywhereAction } from '@/app/(dashboard)/account/actions';
import { Alert } from '@/components/ui/alert';
import { Field, Input } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';

export function ChangePasswordForm({ email }: { email: string }) {
  const t = useTranslations('account');
  const [state, action] = useActionState(changePasswordAction, null);
  const errors = state?.fieldErrors;
  return (
    <form action={action} className="space-y-4" noValidate>
      {state && (
        <Alert tone="error">
          <span>{state.message}</span>
        </Alert>
      )}
      {/* Lets password managers file the new password under the right account. */}
      <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
      <Field id="current-password" label={t('current')} error={errors?.current}>
        <Input id="current-password" name="current" type="password" required autoComplete="current-password" error={errors?.current} />
      </Field>
      <Field id="new-password" label={t('new')} error={errors?.next} hint={t('newHint')}>
        <Input id="new-password" name="next" type="password" required autoComplete="new-password" error={errors?.next} />
      </Field>
      <Field id="confirm-password" label={t('confirmation')} error={errors?.confirmation}>
        <Input
          id="confirm-password"
          name="confirmation"
          type="password"
          required
          autoComplete="new-password"
          error={errors?.confirmation}
        />
      </Field>
      <SubmitButton pendingText={t('saving')}>{t('changeSubmit')}</SubmitButton>
    </form>
  );
}

export function SignOutEverywhereForm() {
  const t = useTranslations('account');
  const [state, action] = useActionState<AccountActionState, FormData>(signOutEverywhereAction, null);
  return (
    <form action={action} className="space-y-2">
      <input type="hidden" name="confirm" value="everywhere" />
      {state && (
        <p role="alert" className="text-xs font-medium text-red-700">
          {state.message}
        </p>
      )}
      <SubmitButton variant="danger" pendingText={t('signingOut')}>
        {t('everywhereSubmit')}
      </SubmitButton>
    </form>
  );
}
