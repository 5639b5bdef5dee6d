'use client';

import { useActionState, useState } from 'react';
import { useTranslations } from 'next-intl';
import type { RecordConsentState } from '@/app/(dashboard)/customers/[id]/actions';
import { recordConsentAction } from '@/app/(dashboard)/customers/[id]/actions';
import { Alert } from '@/components/ui/alert';
import { Field, Input, Select } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import { EnumOptions } from '@/components/consent/enum-options';
import { MANUAL_SOURCES } from '@/lib/customers/record-input';

type Kind = 'granted' | 'confirmed' | 'withdrawn';

/** Records a grant, a double opt-in confirmation or a withdrawal. Nothing is pre-filled as consent. */
export function RecordConsentForm({ customerId }: { customerId: number }) {
  const t = useTranslations('customer.record');
  const [kind, setKind] = useState<Kind | ''>('');
  const [state, action] = useActionState<RecordConsentState, FormData>(recordConsentAction, null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="customerId" value={customerId} />
      {state && <Alert tone={state.ok ? 'success' : 'error'}>{state.message}</Alert>}
      <fieldset aria-describedby={errors?.kind ? 'kind-error' : undefined}>
        <legend className="text-sm font-medium text-slate-800">{t('kind')}</legend>
        <div className="mt-2 flex flex-wrap gap-4">
          {(['granted', 'confirmed', 'withdrawn'] as const).map((k) => (
            <label key={k} className="flex items-center gap-2 text-sm">
              <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
              {t(`kinds.${k}`)}
            </label>
          ))}
        </div>
        {errors?.kind && (
          <p id="kind-error" className="mt-1 text-xs font-medium text-red-700">
            {errors.kind}
          </p>
        )}
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Field id="r-channel" label={t('channel')} error={errors?.channel}>
          <Select id="r-channel" name="channel" defaultValue="" error={errors?.channel}>
            <option value="" disabled>
              {t('choose')}
            </option>
            <EnumOptions kind="channel" />
          </Select>
        </Field>
        <Field id="r-purpose" label={t('purpose')} error={errors?.purpose}>
          <Select id="r-purpose" name="purpose" defaultValue="" error={errors?.purpose}>
            <option value="" disabled>
              {t('choose')}
            </option>
            <EnumOptions kind="purpose" />
            {kind === 'withdrawn' && <option value="all">{t('allPurposes')}</option>}
          </Select>
        </Field>
        <Field id="r-occurred" label={t('occurredAt')} error={errors?.occurredAt} hint={t('occurredHint')}>
          <Input id="r-occurred" name="occurredAt" type="datetime-local" error={errors?.occurredAt} />
        </Field>
        <Field id="r-source" label={t('source')} error={errors?.source}>
          <Select id="r-source" name="source" defaultValue="" error={errors?.source}>
            <option value="" disabled>
              {t('choose')}
            </option>
            {MANUAL_SOURCES.map((s) => (
              <option key={s} value={s}>
                {t(`sources.${s}`)}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      {kind === 'withdrawn' ? (
        <Field id="r-reason" label={t('reason')} error={errors?.reason}>
          <Input id="r-reason" name="reason" error={errors?.reason} />
        </Field>
      ) : (
        <div className="grid gap-4 sm:grid-cols-3">
          <Field id="r-wording" label={t('wording')} error={errors?.wording} hint={t('evidenceHint')}>
            <Input id="r-wording" name="wording" error={errors?.wording} />
          </Field>
          <Field id="r-form" label={t('formVersion')}>
            <Input id="r-form" name="formVersion" />
          </Field>
          <Field id="r-proof" label={t('proofReference')}>
            <Input id="r-proof" name="proofReference" />
          </Field>
        </div>
      )}
      {kind === 'granted' && (
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" name="doubleOptIn" className="h-4 w-4 rounded border-slate-300" />
          {t('doubleOptIn')}
        </label>
      )}
      <SubmitButton pendingText={t('saving')}>{t('submit')}</SubmitButton>
    </form>
  );
}
