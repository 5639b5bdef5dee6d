'use client';

import { useTranslations } from 'next-intl';
import { updateAlertThresholdsAction, updateStopScopeAction } from '@/app/(dashboard)/settings/alerts/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';
import { useKeptForm } from '@/components/ui/kept-form';
import type { AlertThresholds, StopScope } from '@/lib/settings/app-settings';

export function AlertThresholdsForm({ value }: { value: AlertThresholds }) {
  const t = useTranslations('alertSettings');
  const { state, onSubmit, pending } = useKeptForm(updateAlertThresholdsAction);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {state && <Alert tone={state.ok ? 'success' : 'error'}>{state.message}</Alert>}
      <div className="grid gap-4 sm:grid-cols-3">
        <Field id="a-rate" label={t('campaignRate')} error={errors?.campaignOptOutRatePct} hint={t('campaignRateHint')}>
          <Input
            id="a-rate"
            name="campaignOptOutRatePct"
            type="number"
            step="0.01"
            min="0.01"
            max="100"
            defaultValue={value.campaignOptOutRatePct}
            error={errors?.campaignOptOutRatePct}
          />
        </Field>
        <Field id="a-weekly" label={t('weeklyComplaints')} error={errors?.weeklyComplaints} hint={t('weeklyComplaintsHint')}>
          <Input
            id="a-weekly"
            name="weeklyComplaints"
            type="number"
            step="1"
            min="1"
            defaultValue={value.weeklyComplaints}
            error={errors?.weeklyComplaints}
          />
        </Field>
        <Field id="a-factor" label={t('trendFactor')} error={errors?.complaintsTrendFactor} hint={t('trendFactorHint')}>
          <Input
            id="a-factor"
            name="complaintsTrendFactor"
            type="number"
            step="0.1"
            min="1"
            defaultValue={value.complaintsTrendFactor}
            error={errors?.complaintsTrendFactor}
          />
        </Field>
      </div>
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input type="checkbox" name="legalNotice" defaultChecked={value.legalNotice} className="h-4 w-4 rounded border-slate-300" />
        {t('legalNotice')}
      </label>
      <Button type="submit" disabled={pending} aria-disabled={pending}>
        {t('save')}
      </Button>
    </form>
  );
}

export function StopScopeForm({ value }: { value: StopScope }) {
  const t = useTranslations('alertSettings');
  const { state, onSubmit, pending } = useKeptForm(updateStopScopeAction);
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {state && <Alert tone={state.ok ? 'success' : 'error'}>{state.message}</Alert>}
      <fieldset>
        <legend className="text-sm font-medium text-slate-800">{t('stopScope')}</legend>
        <div className="mt-2 space-y-2">
          {(['all', 'marketing'] as const).map((s) => (
            <label key={s} className="flex items-center gap-2 text-sm">
              <input type="radio" name="stopScope" value={s} defaultChecked={value === s} />
              {t(`scope.${s}`)}
            </label>
          ))}
        </div>
      </fieldset>
      <Button type="submit" disabled={pending} aria-disabled={pending}>
        {t('save')}
      </Button>
    </form>
  );
}
