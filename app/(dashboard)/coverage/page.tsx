import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { ShareLines } from '@/components/charts/share-lines';
import { StackedBars } from '@/components/charts/stacked-bars';
import { CoverageFilterForm } from '@/components/coverage/coverage-filter-form';
import { CoverageTable } from '@/components/coverage/coverage-table';
import { MarketplaceCoverage } from '@/components/marketplace/marketplace-coverage';
import { buttonClass } from '@/components/ui/button';
import { Card, EmptyState, PageHeader } from '@/components/ui/card';
import { requireSection } from '@/lib/auth/session';
import { CHANNELS } from '@/lib/consent';
import { chartCombo, parseCoverageParams, toCoverageFilter } from '@/lib/coverage/filter';
import type { CoverageCounts } from '@/lib/coverage/matrix';
import { share, totalsByColumn } from '@/lib/coverage/matrix';
import { allowedTrends, coverageFilterOptions, coverageMatrix, marketplaceCounts } from '@/lib/coverage/queries';
import { customerFilterQuery } from '@/lib/customers/filter';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('nav'))('coverage') };
}

const LINE_COLORS = { email: '#136249', sms: '#b45309', whatsapp: '#2563eb', phone: '#7c3aed' } as const;
const LINE_DASHES = { email: undefined, sms: '6 3', whatsapp: undefined, phone: '2 3' } as const;

export default async function CoveragePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireSection('coverage');
  const params = parseCoverageParams(await searchParams);
  const filter = toCoverageFilter(params);
  const options = await coverageFilterOptions();
  const [t, enums, format, locale] = await Promise.all([
    getTranslations('coverage'),
    getTranslations('enums'),
    getFormatter(),
    getLocale(),
  ]);

  if (options.markets.length === 0) {
    return (
      <>
        <PageHeader title={t('title')} description={t('description')} />
        <EmptyState title={t('emptyTitle')}>{t('emptyText')}</EmptyState>
      </>
    );
  }

  const { channel, purpose } = chartCombo(params);
  const [cells, trends, amazon] = await Promise.all([
    coverageMatrix(filter, { asOf: params.asOf }),
    allowedTrends(filter, params.trend),
    marketplaceCounts(filter, { asOf: params.asOf }),
  ]);
  const markets = [...new Set(cells.map((c) => c.market))].sort();
  const rows = markets.map((market) => ({
    market,
    cells: new Map<string, CoverageCounts>(cells.filter((c) => c.market === market).map((c) => [`${c.channel}:${c.purpose}`, c])),
  }));
  const base = { market: params.market, source: params.source, batch: params.batch, asOf: params.asOf };
  const exportQuery = customerFilterQuery(base);

  const bars = cells
    .filter((c) => c.channel === channel && c.purpose === purpose)
    .sort((a, b) => a.market.localeCompare(b.market))
    .map((c) => ({ market: c.market, granted: c.granted, pending: c.pending, withdrawn: c.withdrawn, unknown: c.unknown }));
  const trendData = trends.email.map((point, i) =>
    Object.fromEntries([['week', point.week], ...CHANNELS.map((c) => [c, share(trends[c][i]?.allowed ?? 0, trends[c][i]?.total ?? 0)])]),
  );

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        actions={
          <Link href={`/coverage/export${exportQuery ? `?${exportQuery}` : ''}`} className={buttonClass('secondary')} prefetch={false}>
            {t('exportCsv')}
          </Link>
        }
      />
      <CoverageFilterForm params={params} options={options} />
      <p className="mb-3 text-sm text-slate-700" role="status">
        {params.asOf ? t('asOfNote', { date: format.dateTime(new Date(`${params.asOf}T12:00:00Z`), 'short') }) : t('todayNote')}
      </p>
      <CoverageTable rows={rows} totals={totalsByColumn(cells)} base={base} />
      <MarketplaceCoverage counts={amazon} base={base} />
      <div className="mt-6 grid gap-6 xl:grid-cols-2">
        <Card>
          <h2 className="mb-3 text-base font-semibold text-slate-900">
            {t('barsTitle', { channel: enums(`channel.${channel}`), purpose: enums(`purpose.${purpose}`) })}
          </h2>
          <StackedBars
            data={bars}
            categoryKey="market"
            locale={locale}
            label={t('barsTitle', { channel: enums(`channel.${channel}`), purpose: enums(`purpose.${purpose}`) })}
            series={[
              { key: 'granted', label: enums('status.granted'), color: '#167a58' },
              { key: 'pending', label: enums('status.pending_confirmation'), color: '#f59e0b' },
              { key: 'withdrawn', label: enums('status.withdrawn'), color: '#dc2626' },
              { key: 'unknown', label: enums('status.unknown'), color: '#94a3b8' },
            ]}
          />
        </Card>
        <Card>
          <h2 className="mb-3 text-base font-semibold text-slate-900">{t('trendTitle', { purpose: enums(`purpose.${params.trend}`) })}</h2>
          <ShareLines
            data={trendData}
            xKey="week"
            locale={locale}
            label={t('trendTitle', { purpose: enums(`purpose.${params.trend}`) })}
            series={CHANNELS.map((c) => ({ key: c, label: enums(`channel.${c}`), color: LINE_COLORS[c], dash: LINE_DASHES[c] }))}
          />
        </Card>
      </div>
    </>
  );
}
