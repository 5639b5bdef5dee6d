'use client';

import { useTranslations } from 'next-intl';
import { updateCampaignSendingAction } from '@/app/(dashboard)/settings/whatsapp/sending-actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field, Input, Textarea } from '@/components/ui/field';
import { useKeptForm } from '@/components/ui/kept-form';
import type { CampaignSending } from '@/lib/settings/app-settings';

/** `markets` is the per-market quiet hours as text, one line each. Rate per phone number, frequency cap and quiet hours (default and per market) of campaign sending. */
export function CampaignSendingForm({ value, markets }: { value: CampaignSending; markets: string }) {
  const t = useTranslations('campaigns.settings');
  const { state, onSubmit, pending } = useKeptForm(updateCampaignSendingAction);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate aria-label={t('title')}>
      {state && <Alert tone={state.ok ? 'success' : 'error'}>{state.message}</Alert>}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="cs-rate" label={t('rate')} error={errors?.ratePerSecond} hint={t('rateHint')}>
          <Input
            id="cs-rate"
            name="ratePerSecond"
            type="number"
            min="1"
            max="1000"
            step="1"
            defaultValue={value.ratePerSecond}
            error={errors?.ratePerSecond}
          />
        </Field>
        <Field id="cs-cap" label={t('cap')} error={errors?.frequencyCap}>
          <Input
            id="cs-cap"
            name="frequencyCap"
            type="number"
            min="1"
            max="100"
            step="1"
            defaultValue={value.frequencyCap}
            error={errors?.frequencyCap}
          />
        </Field>
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="cs-start" label={t('quietStart')} error={errors?.quietStart} hint={t('quietHint')}>
          <Input id="cs-start" name="quietStart" type="time" defaultValue={value.quietHours.start} error={errors?.quietStart} />
        </Field>
        <Field id="cs-end" label={t('quietEnd')} error={errors?.quietEnd}>
          <Input id="cs-end" name="quietEnd" type="time" defaultValue={value.quietHours.end} error={errors?.quietEnd} />
        </Field>
      </div>
      <Field id="cs-markets" label={t('markets')} error={errors?.markets}>
        <Textarea id="cs-markets" name="markets" rows={4} defaultValue={markets} error={errors?.markets} className="font-mono" />
      </Field>
      <Button type="submit" disabled={pending} aria-disabled={pending}>
        {t('save')}
      </Button>
    </form>
  );
}
