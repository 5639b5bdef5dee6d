import { getTranslations } from 'next-intl/server';
import type { FilterOptions } from '@/components/customers/filter-fields';
import { FilterActions, MarketCheckboxes, SourceAndBatchFields } from '@/components/customers/filter-fields';
import { Field, Input, Select } from '@/components/ui/field';
import { EnumOptions } from '@/components/consent/enum-options';
import type { CustomerFilter } from '@/lib/customers/filter';

/** A plain GET form: the filter lives in the URL, so a view can be shared and the back button works. */
export async function CustomerFilterForm({ filter, options }: { filter: CustomerFilter; options: FilterOptions }) {
  const [t, reasons] = await Promise.all([getTranslations('customers.filter'), getTranslations('customer.reasons')]);
  return (
    <form method="get" action="/customers" className="mb-6 space-y-4 rounded-lg bg-white p-4 shadow-xs ring-1 ring-slate-200" role="search">
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Field id="f-q" label={t('search')} hint={t('searchHint')}>
          <Input id="f-q" name="q" type="search" defaultValue={filter.q} />
        </Field>
        <Field id="f-channel" label={t('channel')}>
          <Select id="f-channel" name="channel" defaultValue={filter.channel ?? ''}>
            <option value="">{t('any')}</option>
            <EnumOptions kind="channel" />
          </Select>
        </Field>
        <Field id="f-purpose" label={t('purpose')}>
          <Select id="f-purpose" name="purpose" defaultValue={filter.purpose ?? ''}>
            <option value="">{t('any')}</option>
            <EnumOptions kind="purpose" />
          </Select>
        </Field>
        <Field id="f-state" label={t('state')} hint={t('scopeHint')}>
          <Select id="f-state" name="state" defaultValue={filter.state ?? ''}>
            <option value="">{t('any')}</option>
            <EnumOptions kind="status" />
          </Select>
        </Field>
        <Field id="f-decision" label={t('decision')}>
          <Select id="f-decision" name="decision" defaultValue={filter.decision ?? ''}>
            <option value="">{t('any')}</option>
            <option value="allowed">{t('allowed')}</option>
            <option value="blocked">{t('blocked')}</option>
          </Select>
        </Field>
        <SourceAndBatchFields idPrefix="f" options={options} source={filter.source} batch={filter.batch} />
        <Field id="f-asof" label={t('asOf')}>
          <Input id="f-asof" name="asOf" type="date" defaultValue={filter.asOf} />
        </Field>
      </div>
      <MarketCheckboxes markets={options.markets} checked={filter.market} />
      {(filter.reason || filter.orderedSince) && (
        <p className="text-sm text-slate-700" data-testid="filter-extra">
          {filter.reason && <input type="hidden" name="reason" value={filter.reason} />}
          {filter.orderedSince && <input type="hidden" name="orderedSince" value={filter.orderedSince} />}
          {[
            filter.reason && t('reasonActive', { reason: reasons(filter.reason) }),
            filter.orderedSince && t('orderedSinceActive', { date: filter.orderedSince }),
          ]
            .filter(Boolean)
            .join(' · ')}
        </p>
      )}
      <FilterActions clearHref="/customers" />
    </form>
  );
}
