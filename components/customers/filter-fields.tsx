import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { buttonClass } from '@/components/ui/button';
import { Field, Select } from '@/components/ui/field';
import { BatchOptions, SourceOptions } from './filter-options';

export type FilterOptions = { markets: string[]; sources: string[]; batches: Array<{ id: number; fileName: string }> };

/** Source and import pickers shared by the customer and coverage filters. */
export async function SourceAndBatchFields({
  idPrefix,
  options,
  source,
  batch,
}: {
  idPrefix: string;
  options: FilterOptions;
  source?: string;
  batch?: number;
}) {
  const t = await getTranslations('customers.filter');
  return (
    <>
      <Field id={`${idPrefix}-source`} label={t('source')}>
        <Select id={`${idPrefix}-source`} name="source" defaultValue={source ?? ''}>
          <SourceOptions sources={options.sources} any={t('any')} />
        </Select>
      </Field>
      <Field id={`${idPrefix}-batch`} label={t('batch')}>
        <Select id={`${idPrefix}-batch`} name="batch" defaultValue={batch ? String(batch) : ''}>
          <BatchOptions batches={options.batches} any={t('any')} />
        </Select>
      </Field>
    </>
  );
}

export async function MarketCheckboxes({ markets, checked }: { markets: string[]; checked: string[] }) {
  const t = await getTranslations('customers.filter');
  return (
    <fieldset>
      <legend className="text-sm font-medium text-slate-800">{t('markets')}</legend>
      <div className="mt-2 flex flex-wrap gap-x-4 gap-y-2">
        {markets.map((m) => (
          <label key={m} className="flex items-center gap-1.5 text-sm text-slate-700">
            <input
              type="checkbox"
              name="market"
              value={m}
              defaultChecked={checked.includes(m)}
              className="h-4 w-4 rounded border-slate-300"
            />
            {m}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export async function FilterActions({ clearHref }: { clearHref: string }) {
  const t = await getTranslations('customers.filter');
  return (
    <div className="flex gap-2">
      <button type="submit" className={buttonClass('primary')}>
        {t('apply')}
      </button>
      <Link href={clearHref} className={buttonClass('secondary')}>
        {t('clear')}
      </Link>
    </div>
  );
}
