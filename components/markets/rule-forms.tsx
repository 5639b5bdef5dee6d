'use client';

import { useTranslations } from 'next-intl';
import type { RuleActionState } from '@/app/(dashboard)/settings/actions';
import { addMarketAction, updateMarketRuleAction } from '@/app/(dashboard)/settings/actions';
import { Button } from '@/components/ui/button';
import { Field, Input, Select } from '@/components/ui/field';
import { useKeptForm } from '@/components/ui/kept-form';

type Rule = {
  market: string;
  channel: string;
  purpose: string;
  priorConsentRequired: boolean;
  doubleOptInRequired: boolean;
  existingCustomerException: boolean;
  consentValidMonths: number | null;
  legalReference: string;
};

function Outcome({ state, formId, id }: { state: RuleActionState; formId: string; id: string }) {
  const t = useTranslations('markets');
  if (!state) return null;
  return (
    <div
      id={id}
      role={state.ok ? 'status' : 'alert'}
      className={state.ok ? 'text-xs text-emerald-700' : 'text-xs font-medium text-red-700'}
    >
      <p>{state.message}</p>
      {!state.ok && state.confirm && (
        <Button type="submit" form={formId} name="confirm" value="yes" variant="danger" className="mt-1 px-2 py-1 text-xs">
          {t('confirmButton')}
        </Button>
      )}
    </div>
  );
}

/** One editable row of the rules table; its inputs sit in the row's cells and belong to the form in the last cell. */
export function RuleRow({ rule, channelLabel, purposeLabel }: { rule: Rule; channelLabel: string; purposeLabel: string }) {
  const t = useTranslations('markets');
  const { state, onSubmit, pending } = useKeptForm(updateMarketRuleAction);
  const formId = `rule-${rule.market}-${rule.channel}-${rule.purpose}`;
  const label = `${channelLabel} ${purposeLabel}`;
  const check = (name: keyof Rule, value: boolean, text: string) => (
    <input
      type="checkbox"
      name={name}
      form={formId}
      defaultChecked={value}
      aria-label={`${text}: ${label}`}
      className="h-4 w-4 rounded border-slate-300"
    />
  );
  return (
    <tr data-rule={`${rule.channel}:${rule.purpose}`}>
      <td className="px-3 py-2 font-medium">{channelLabel}</td>
      <td className="px-3 py-2">{purposeLabel}</td>
      <td className="px-3 py-2">{check('priorConsentRequired', rule.priorConsentRequired, t('priorConsent'))}</td>
      <td className="px-3 py-2">{check('doubleOptInRequired', rule.doubleOptInRequired, t('doubleOptIn'))}</td>
      <td className="px-3 py-2">{check('existingCustomerException', rule.existingCustomerException, t('exception'))}</td>
      <td className="px-3 py-2">
        <input
          type="number"
          name="consentValidMonths"
          form={formId}
          min={1}
          max={120}
          defaultValue={rule.consentValidMonths ?? ''}
          placeholder={t('noExpiry')}
          aria-label={`${t('validMonths')}: ${label}`}
          className="w-24 rounded-md border-0 px-2 py-1 text-sm ring-1 ring-inset ring-slate-300"
        />
      </td>
      <td className="px-3 py-2">
        <input
          name="legalReference"
          form={formId}
          defaultValue={rule.legalReference}
          aria-label={`${t('legalReference')}: ${label}`}
          className="w-full min-w-64 rounded-md border-0 px-2 py-1 text-xs ring-1 ring-inset ring-slate-300"
        />
      </td>
      <td className="px-3 py-2">
        <form id={formId} onSubmit={onSubmit} className="space-y-1">
          <input type="hidden" name="market" value={rule.market} />
          <input type="hidden" name="channel" value={rule.channel} />
          <input type="hidden" name="purpose" value={rule.purpose} />
          <Button type="submit" variant="secondary" disabled={pending}>
            <span>{pending ? t('saving') : t('save')}</span>
            <span className="sr-only">{label}</span>
          </Button>
          <Outcome state={state} formId={formId} id={`${formId}-outcome`} />
        </form>
      </td>
    </tr>
  );
}

export function AddMarketForm({ templates }: { templates: Array<{ value: string; label: string }> }) {
  const t = useTranslations('markets');
  const { state, onSubmit, pending } = useKeptForm(addMarketAction);
  return (
    <form id="add-market" onSubmit={onSubmit} className="flex flex-wrap items-end gap-4">
      <Field id="new-market" label={t('newMarket')} hint={t('newMarketHint')}>
        <Input id="new-market" name="market" required maxLength={2} className="w-24 uppercase" />
      </Field>
      <Field id="copy-from" label={t('copyFrom')}>
        <Select id="copy-from" name="copyFrom" defaultValue="EU">
          {templates.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </Select>
      </Field>
      <Button type="submit" disabled={pending}>
        {pending ? t('saving') : t('addMarket')}
      </Button>
      <Outcome state={state} formId="add-market" id="add-market-outcome" />
    </form>
  );
}
