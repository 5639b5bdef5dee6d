'use client';

import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import type { EraseCustomerState } from '@/app/(dashboard)/customers/[id]/actions';
import { eraseCustomerAction } from '@/app/(dashboard)/customers/[id]/actions';
import { Alert } from '@/components/ui/alert';
import { Field, Input, Textarea } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';

/** Erases the customer: a reason and the confirmation word, since it cannot be undone. */
export function EraseCustomerForm({ customerId }: { customerId: number }) {
  const t = useTranslations('privacy.erase');
  const [state, action] = useActionState<EraseCustomerState, FormData>(eraseCustomerAction, null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form action={action} className="space-y-4" noValidate data-testid="erase-form">
      <input type="hidden" name="customerId" value={customerId} />
      <p className="text-sm text-slate-700">{t('explain')}</p>
      {state && <Alert tone={state.ok ? 'success' : 'error'}>{state.message}</Alert>}
      <Field id="erase-reason" label={t('reason')} error={errors?.reason} hint={t('reasonHint')}>
        <Textarea id="erase-reason" name="reason" rows={2} maxLength={500} error={errors?.reason} />
      </Field>
      <Field id="erase-confirmation" label={t('confirmation', { word: t('confirmWord') })} error={errors?.confirmation}>
        <Input id="erase-confirmation" name="confirmation" autoComplete="off" error={errors?.confirmation} />
      </Field>
      <SubmitButton variant="danger" pendingText={t('pending')}>
        {t('submit')}
      </SubmitButton>
    </form>
  );
}
