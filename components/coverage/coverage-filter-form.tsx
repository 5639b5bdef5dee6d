import { getTranslations } from 'next-intl/server';
import type { FilterOptions } from '@/components/customers/filter-fields';
import { FilterActions, MarketCheckboxes, SourceAndBatchFields } from '@/components/customers/filter-fields';
import { EnumOptions } from '@/components/consent/enum-options';
import { Field, Input, Select } from '@/components/ui/field';
import { CHANNELS, PURPOSES } from '@/lib/consent';
import type { CoverageParams } from '@/lib/coverage/filter';

export async function CoverageFilterForm({ params, options }: { params: CoverageParams; options: FilterOptions }) {
  const [t, f, enums] = await Promise.all([getTranslations('coverage'), getTranslations('customers.filter'), getTranslations('enums')]);
  return (
    <form method="get" action="/coverage" className="mb-6 space-y-4 rounded-lg bg-white p-4 shadow-xs ring-1 ring-slate-200">
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5">
        <SourceAndBatchFields idPrefix="c" options={options} source={params.source} batch={params.batch} />
        <Field id="c-asof" label={f('asOf')} hint={t('asOfHint')}>
          <Input id="c-asof" name="asOf" type="date" defaultValue={params.asOf} max={new Date().toISOString().slice(0, 10)} />
        </Field>
        <Field id="c-chart" label={t('chartOf')}>
          <Select id="c-chart" name="chart" defaultValue={params.chart}>
            {CHANNELS.flatMap((c) =>
              PURPOSES.map((p) => (
                <option key={`${c}:${p}`} value={`${c}:${p}`}>
                  {enums(`channel.${c}`)} · {enums(`purpose.${p}`)}
                </option>
              )),
            )}
          </Select>
        </Field>
        <Field id="c-trend" label={t('trendOf')}>
          <Select id="c-trend" name="trend" defaultValue={params.trend}>
            <EnumOptions kind="purpose" />
          </Select>
        </Field>
      </div>
      <MarketCheckboxes markets={options.markets} checked={params.market} />
      <FilterActions clearHref="/coverage" />
    </form>
  );
}
