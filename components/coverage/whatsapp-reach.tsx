import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import type { Purpose } from '@/lib/consent';
import type { CoverageCell, CoverageCounts } from '@/lib/coverage/matrix';
import { addCounts, EMPTY_COUNTS, share } from '@/lib/coverage/matrix';
import { customerFilterQuery } from '@/lib/customers/filter';

const PURPOSES_SHOWN: Purpose[] = ['transactional', 'marketing'];

function pick(cells: readonly CoverageCell[], market: string | null, purpose: Purpose): CoverageCounts {
  return cells
    .filter((c) => c.channel === 'whatsapp' && c.purpose === purpose && (market === null || c.market === market))
    .reduce<CoverageCounts>((sum, c) => addCounts(sum, c), EMPTY_COUNTS);
}

/** The overview's headline: who may get WhatsApp messages, per market, and how that moved in the last 7 days. */
export async function WhatsAppReach({ now, weekAgo }: { now: readonly CoverageCell[]; weekAgo: readonly CoverageCell[] }) {
  const [t, enums, format] = await Promise.all([getTranslations('overview'), getTranslations('enums'), getFormatter()]);
  const markets = [...new Set(now.map((c) => c.market))].sort();
  const percent = (v: number | null) => (v === null ? '—' : format.number(v, { style: 'percent', maximumFractionDigits: 1 }));
  const change = (a: number | null, b: number | null) => {
    if (a === null || b === null) return '';
    const points = (a - b) * 100;
    if (Math.abs(points) < 0.05) return t('noChange');
    return t('changePoints', { points: format.number(points, { maximumFractionDigits: 1, signDisplay: 'always' }) });
  };
  const row = (market: string | null) => (
    <tr key={market ?? 'all'} className={market === null ? 'border-t-2 border-slate-300 font-semibold' : undefined}>
      <th scope="row" className="px-3 py-2 text-left">
        {market ?? t('allMarkets')}
      </th>
      {PURPOSES_SHOWN.map((purpose) => {
        const today = pick(now, market, purpose);
        const before = pick(weekAgo, market, purpose);
        const s = share(today.allowed, today.total);
        return (
          <td key={purpose} className="px-3 py-2">
            <Link
              href={`/customers?${customerFilterQuery({ market: market ? [market] : [], channel: 'whatsapp', purpose, decision: 'allowed' })}`}
              className="font-semibold text-slate-900 hover:underline"
            >
              {percent(s)}
            </Link>{' '}
            <span className="text-xs text-slate-600">
              ({format.number(today.allowed)}) {change(s, share(before.allowed, before.total))}
            </span>
          </td>
        );
      })}
    </tr>
  );
  return (
    <Card className="mt-6">
      <h2 className="text-base font-semibold text-slate-900">{t('reachTitle')}</h2>
      <p className="mb-3 text-sm text-slate-600">{t('reachText')}</p>
      <div className="overflow-x-auto">
        <table className="min-w-full text-sm" data-testid="whatsapp-reach">
          <thead className="text-left text-xs uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" className="px-3 py-2">
                {t('market')}
              </th>
              {PURPOSES_SHOWN.map((p) => (
                <th key={p} scope="col" className="px-3 py-2">
                  {enums('channel.whatsapp')} · {enums(`purpose.${p}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {markets.map((m) => row(m))}
            {row(null)}
          </tbody>
        </table>
      </div>
    </Card>
  );
}
