'use client';

import { useTranslations } from 'next-intl';
import { runRetentionNowAction, updateRetentionAction, verifyAuditChainAction } from '@/app/(dashboard)/settings/data-protection/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';
import { useKeptForm } from '@/components/ui/kept-form';
import type { RetentionSettings } from '@/lib/retention/settings';

const FIELDS: Array<{ name: keyof RetentionSettings; min: number; max: number }> = [
  { name: 'importFilesDays', min: 1, max: 3650 },
  { name: 'replyTextMonths', min: 1, max: 120 },
  { name: 'signInThrottleDays', min: 1, max: 365 },
  { name: 'ledgerYears', min: 3, max: 30 },
];

export function RetentionForm({ value }: { value: RetentionSettings }) {
  const t = useTranslations('dataProtection');
  const { state, onSubmit, pending } = useKeptForm(updateRetentionAction);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {state && <Alert tone={state.ok ? 'success' : 'error'}>{state.message}</Alert>}
      <div className="grid gap-4 sm:grid-cols-2">
        {FIELDS.map(({ name, min, max }) => (
          <Field key={name} id={`r-${name}`} label={t(`fields.${name}`)} error={errors?.[name]} hint={t(`hints.${name}`, { min, max })}>
            <Input
              id={`r-${name}`}
              name={name}
              type="number"
              step="1"
              min={min}
              max={max}
              defaultValue={value[name]}
              error={errors?.[name]}
            />
          </Field>
        ))}
      </div>
      <Button type="submit" disabled={pending} aria-disabled={pending}>
        {t('save')}
      </Button>
    </form>
  );
}

/** A form of one button whose answer shows above it. */
function ActionButton({ action, label, variant }: { action: typeof runRetentionNowAction; label: string; variant?: 'secondary' }) {
  const { state, onSubmit, pending } = useKeptForm(action);
  return (
    <form onSubmit={onSubmit} className="space-y-3">
      {state && <Alert tone={state.ok ? 'success' : 'error'}>{state.message}</Alert>}
      <input type="hidden" name="confirm" value="yes" />
      <Button type="submit" variant={variant} disabled={pending} aria-disabled={pending}>
        {label}
      </Button>
    </form>
  );
}

export function RunNowButton() {
  const t = useTranslations('dataProtection');
  return <ActionButton action={runRetentionNowAction} label={t('runNow')} variant="secondary" />;
}

export function VerifyButton() {
  const t = useTranslations('dataProtection');
  return <ActionButton action={verifyAuditChainAction} label={t('verifyNow')} variant="secondary" />;
}
