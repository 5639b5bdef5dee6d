'use client';

import { useState } from 'react';
import { useTranslations } from 'next-intl';
import { createComplaintAction } from '@/app/(dashboard)/complaints/actions';
import { EnumOptions } from '@/components/consent/enum-options';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field, Input, Select, Textarea } from '@/components/ui/field';
import { useKeptForm } from '@/components/ui/kept-form';
import type { ComplaintKind, WithdrawScope } from '@/lib/complaints/input';
import { CONSENT_KINDS } from '@/lib/complaints/input';

type Props = {
  customer: { id: number; label: string; market: string } | null;
  campaigns: Array<{ id: number; label: string }>;
  markets: string[];
  now: string;
};

/** Logs a complaint for a chosen customer or an unknown contact; proposes a withdrawal for the consent kinds. */
export function ComplaintForm({ customer, campaigns, markets, now }: Props) {
  const t = useTranslations('complaints.form');
  const { state, onSubmit, pending } = useKeptForm(createComplaintAction);
  const [kind, setKind] = useState<ComplaintKind | ''>('');
  const [withdraw, setWithdraw] = useState<WithdrawScope>('marketing');
  const [touched, setTouched] = useState(false);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const proposed: WithdrawScope = kind && CONSENT_KINDS.includes(kind) ? 'marketing' : 'none';
  const scope = touched ? withdraw : proposed;
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {state && <Alert tone={state.ok ? 'success' : 'error'}>{state.message}</Alert>}
      {customer ? (
        <input type="hidden" name="customerId" value={customer.id} />
      ) : (
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="c-phone" label={t('contactPhone')} error={errors?.contactPhone} hint={t('contactHint')}>
            <Input id="c-phone" name="contactPhone" type="tel" autoComplete="off" error={errors?.contactPhone} />
          </Field>
          <Field id="c-email" label={t('contactEmail')} error={errors?.contactEmail}>
            <Input id="c-email" name="contactEmail" type="email" autoComplete="off" error={errors?.contactEmail} />
          </Field>
        </div>
      )}
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Field id="c-kind" label={t('kind')} error={errors?.kind}>
          <Select id="c-kind" name="kind" value={kind} onChange={(e) => setKind(e.target.value as ComplaintKind)} error={errors?.kind}>
            <option value="" disabled>
              {t('choose')}
            </option>
            <EnumOptions kind="complaintKind" />
          </Select>
        </Field>
        <Field id="c-channel" label={t('channel')} error={errors?.channel}>
          <Select id="c-channel" name="channel" defaultValue="" error={errors?.channel}>
            <option value="" disabled>
              {t('choose')}
            </option>
            <EnumOptions kind="channel" />
          </Select>
        </Field>
        <Field id="c-market" label={t('market')} error={errors?.market}>
          <Select id="c-market" name="market" defaultValue={customer?.market ?? ''} error={errors?.market}>
            <option value="">{customer ? t('customerMarket', { market: customer.market }) : t('unknownMarket')}</option>
            {markets.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="c-received" label={t('receivedAt')} error={errors?.receivedAt}>
          <Input id="c-received" name="receivedAt" type="datetime-local" defaultValue={now} max={now} error={errors?.receivedAt} />
        </Field>
      </div>
      <Field id="c-description" label={t('descriptionLabel')} error={errors?.description}>
        <Textarea id="c-description" name="description" rows={4} error={errors?.description} />
      </Field>
      <Field id="c-campaign" label={t('campaign')}>
        <Select id="c-campaign" name="campaignId" defaultValue="">
          <option value="">{t('noCampaign')}</option>
          {campaigns.map((c) => (
            <option key={c.id} value={c.id}>
              {c.label}
            </option>
          ))}
        </Select>
      </Field>
      <fieldset className="rounded-md bg-slate-50 p-3 ring-1 ring-slate-200">
        <legend className="px-1 text-sm font-medium text-slate-800">{customer ? t('withdrawLegend') : t('suppressLegend')}</legend>
        <div className="mt-1 flex flex-wrap gap-4">
          {(customer ? (['marketing', 'all', 'none'] as const) : (['marketing', 'none'] as const)).map((s) => (
            <label key={s} className="flex items-center gap-2 text-sm">
              <input
                type="radio"
                name="withdraw"
                value={s}
                checked={scope === s}
                onChange={() => {
                  setTouched(true);
                  setWithdraw(s);
                }}
              />
              {customer ? t(`withdraw.${s}`) : t(`suppress.${s}`)}
            </label>
          ))}
        </div>
        <p className="mt-2 text-xs text-slate-600">{customer ? t('withdrawHint') : t('suppressHint')}</p>
      </fieldset>
      <Button type="submit" disabled={pending} aria-disabled={pending}>
        {pending ? t('saving') : t('submit')}
      </Button>
    </form>
  );
}
