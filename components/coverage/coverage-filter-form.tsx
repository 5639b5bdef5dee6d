import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { buttonClass } from '@/components/ui/button';
import { Field, Input, Select } from '@/components/ui/field';
import { CHANNELS, PURPOSES } from '@/lib/consent';
import type { CoverageParams } from '@/lib/coverage/filter';

type Options = { markets: string[]; sources: string[]; batches: Array<{ id: number; fileName: string }> };

export async function CoverageFilterForm({ params, options }: { params: CoverageParams; options: Options }) {
  const [t, f, enums] = await Promise.all([getTranslations('coverage'), getTranslations('customers.filter'), getTranslations('enums')]);
  return (
    <form method="get" action="/coverage" className="mb-6 space-y-4 rounded-lg bg-white p-4 shadow-xs ring-1 ring-slate-200">
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5">
        <Field id="c-source" label={f('source')}>
          <Select id="c-source" name="source" defaultValue={params.source ?? ''}>
            <option value="">{f('any')}</option>
            {options.sources.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="c-batch" label={f('batch')}>
          <Select id="c-batch" name="batch" defaultValue={params.batch ? String(params.batch) : ''}>
            <option value="">{f('any')}</option>
            {options.batches.map((b) => (
              <option key={b.id} value={b.id}>
                #{b.id} {b.fileName}
              </option>
            ))}
          </Select>
        </Field>
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
            {PURPOSES.map((p) => (
              <option key={p} value={p}>
                {enums(`purpose.${p}`)}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-slate-800">{f('markets')}</legend>
        <div className="mt-2 flex flex-wrap gap-x-4 gap-y-2">
          {options.markets.map((m) => (
            <label key={m} className="flex items-center gap-1.5 text-sm text-slate-700">
              <input type="checkbox" name="market" value={m} defaultChecked={params.market.includes(m)} className="h-4 w-4 rounded border-slate-300" />
              {m}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="flex gap-2">
        <button type="submit" className={buttonClass('primary')}>
          {f('apply')}
        </button>
        <Link href="/coverage" className={buttonClass('secondary')}>
          {f('clear')}
        </Link>
      </div>
    </form>
  );
}
