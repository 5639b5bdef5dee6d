import { getTranslations } from 'next-intl/server';
import { EnumOptions } from '@/components/consent/enum-options';
import { FilterActions } from '@/components/customers/filter-fields';
import { Field, Input, Select } from '@/components/ui/field';
import type { ComplaintFilter } from '@/lib/complaints/filter';

export async function ComplaintFilterForm({ filter, markets }: { filter: ComplaintFilter; markets: string[] }) {
  const t = await getTranslations('complaints.filter');
  return (
    <form method="get" action="/complaints" className="mb-6 space-y-4 rounded-lg bg-white p-4 shadow-xs ring-1 ring-slate-200">
      <div className="grid gap-4 sm:grid-cols-3 lg:grid-cols-6">
        <Field id="f-status" label={t('status')}>
          <Select id="f-status" name="status" defaultValue={filter.status ?? ''}>
            <option value="">{t('any')}</option>
            <option value="unresolved">{t('unresolved')}</option>
            <EnumOptions kind="complaintStatus" />
          </Select>
        </Field>
        <Field id="f-kind" label={t('kind')}>
          <Select id="f-kind" name="kind" defaultValue={filter.kind ?? ''}>
            <option value="">{t('any')}</option>
            <EnumOptions kind="complaintKind" />
          </Select>
        </Field>
        <Field id="f-channel" label={t('channel')}>
          <Select id="f-channel" name="channel" defaultValue={filter.channel ?? ''}>
            <option value="">{t('any')}</option>
            <EnumOptions kind="channel" />
          </Select>
        </Field>
        <Field id="f-market" label={t('market')}>
          <Select id="f-market" name="market" defaultValue={filter.market ?? ''}>
            <option value="">{t('any')}</option>
            {markets.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="f-from" label={t('from')}>
          <Input id="f-from" name="from" type="date" defaultValue={filter.from} />
        </Field>
        <Field id="f-to" label={t('to')}>
          <Input id="f-to" name="to" type="date" defaultValue={filter.to} />
        </Field>
      </div>
      <FilterActions clearHref="/complaints" />
    </form>
  );
}
