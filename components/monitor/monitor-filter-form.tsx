import { getTranslations } from 'next-intl/server';
import { FilterActions, MarketCheckboxes } from '@/components/customers/filter-fields';
import { Field, Input, Select } from '@/components/ui/field';
import type { MonitorParams } from '@/lib/monitor/filter';

export async function MonitorFilterForm({ params, markets }: { params: MonitorParams; markets: string[] }) {
  const t = await getTranslations('monitor');
  return (
    <form method="get" action="/monitor" className="mb-6 space-y-4 rounded-lg bg-white p-4 shadow-xs ring-1 ring-slate-200">
      <div className="grid gap-4 sm:grid-cols-3">
        <Field id="m-from" label={t('from')}>
          <Input id="m-from" name="from" type="date" defaultValue={params.from} max={params.to} />
        </Field>
        <Field id="m-to" label={t('to')}>
          <Input id="m-to" name="to" type="date" defaultValue={params.to} />
        </Field>
        <Field id="m-grain" label={t('grain')}>
          <Select id="m-grain" name="grain" defaultValue={params.grain}>
            <option value="week">{t('perWeek')}</option>
            <option value="day">{t('perDay')}</option>
          </Select>
        </Field>
      </div>
      <MarketCheckboxes markets={markets} checked={params.market} />
      <FilterActions clearHref="/monitor" />
    </form>
  );
}
