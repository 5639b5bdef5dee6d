import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { cn } from '@/components/ui/cn';
import type { Channel, Purpose } from '@/lib/consent';
import { CHANNELS, PURPOSES } from '@/lib/consent';
import type { CoverageCounts } from '@/lib/coverage/matrix';
import { heatLevel, share } from '@/lib/coverage/matrix';
import type { CustomerFilter } from '@/lib/customers/filter';
import { customerFilterQuery } from '@/lib/customers/filter';

const SHADES = ['bg-white', 'bg-brand-50', 'bg-brand-100', 'bg-brand-200', 'bg-brand-300'] as const;

type Row = { market: string | null; cells: Map<string, CoverageCounts> };
type Props = { rows: Row[]; totals: Map<string, CoverageCounts>; base: Partial<CustomerFilter> };

/**
 * The heat map: per market and channel x purpose, the share the rules allow contacting (printed, so it reads in
 * black and white; the shade only guides the eye) and the states behind it. Every number opens those customers.
 */
export async function CoverageTable({ rows, totals, base }: Props) {
  const [t, enums, format] = await Promise.all([getTranslations('coverage'), getTranslations('enums'), getFormatter()]);
  const link = (market: string | null, channel: Channel, purpose: Purpose, extra: Partial<CustomerFilter> = {}) =>
    `/customers?${customerFilterQuery({ ...base, market: market ? [market] : base.market, channel, purpose, ...extra })}`;

  const cell = (market: string | null, channel: Channel, purpose: Purpose, c: CoverageCounts | undefined) => {
    if (!c || c.total === 0)
      return (
        <td key={`${channel}:${purpose}`} className="border-l border-slate-200 px-2 py-2 text-center text-slate-400">
          —
        </td>
      );
    const allowedShare = share(c.allowed, c.total);
    const states = [
      ['granted', c.granted, 'G'],
      ['pending_confirmation', c.pending, 'P'],
      ['withdrawn', c.withdrawn, 'W'],
      ['unknown', c.unknown, 'U'],
    ] as const;
    return (
      <td key={`${channel}:${purpose}`} className={cn('border-l border-slate-200 px-2 py-2 align-top', SHADES[heatLevel(allowedShare)])}>
        <Link
          href={link(market, channel, purpose, { decision: 'allowed' })}
          className="block text-base font-semibold text-slate-900 underline-offset-2 hover:underline"
          title={t('allowedTitle')}
        >
          {format.number(allowedShare ?? 0, { style: 'percent', maximumFractionDigits: 0 })}
        </Link>
        <span className="block text-xs text-slate-700">
          <Link href={link(market, channel, purpose, { decision: 'allowed' })} className="hover:underline">
            {format.number(c.allowed)}
          </Link>
          {' / '}
          <Link href={link(market, channel, purpose)} className="hover:underline">
            {format.number(c.total)}
          </Link>
        </span>
        <span className="mt-1 flex flex-wrap gap-x-1.5 text-[11px] text-slate-700">
          {states.map(([state, n, abbr]) => (
            <Link key={state} href={link(market, channel, purpose, { state })} className="hover:underline" title={enums(`status.${state}`)}>
              <abbr title={enums(`status.${state}`)} className="no-underline">
                {abbr}
              </abbr>{' '}
              {format.number(n)}
            </Link>
          ))}
        </span>
      </td>
    );
  };

  return (
    <div className="overflow-x-auto rounded-lg bg-white shadow-xs ring-1 ring-slate-200">
      <table className="min-w-full text-sm" data-testid="coverage-table">
        <caption className="px-3 py-2 text-left text-xs text-slate-600">{t('legend')}</caption>
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" rowSpan={2} className="px-3 py-2 text-left">
              {t('market')}
            </th>
            {CHANNELS.map((channel) => (
              <th key={channel} scope="colgroup" colSpan={2} className="border-l border-slate-200 px-2 py-2 text-center">
                {enums(`channel.${channel}`)}
              </th>
            ))}
          </tr>
          <tr>
            {CHANNELS.flatMap((channel) =>
              PURPOSES.map((purpose) => (
                <th
                  key={`${channel}:${purpose}`}
                  scope="col"
                  className="border-l border-slate-200 px-2 py-1 text-left font-medium normal-case"
                >
                  {enums(`purpose.${purpose}`)}
                </th>
              )),
            )}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">
          {rows.map((row) => (
            <tr key={row.market ?? 'all'} data-market={row.market ?? 'all'}>
              <th scope="row" className="px-3 py-2 text-left font-semibold text-slate-900">
                {row.market}
              </th>
              {CHANNELS.flatMap((channel) =>
                PURPOSES.map((purpose) => cell(row.market, channel, purpose, row.cells.get(`${channel}:${purpose}`))),
              )}
            </tr>
          ))}
        </tbody>
        <tfoot className="border-t-2 border-slate-300">
          <tr data-market="all">
            <th scope="row" className="px-3 py-2 text-left font-semibold text-slate-900">
              {t('allMarkets')}
            </th>
            {CHANNELS.flatMap((channel) => PURPOSES.map((purpose) => cell(null, channel, purpose, totals.get(`${channel}:${purpose}`))))}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
