import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { RateBars } from '@/components/charts/rate-bars';
import { StackedBars } from '@/components/charts/stacked-bars';
import { AlertBanner } from '@/components/monitor/alert-banner';
import { ChartCard } from '@/components/monitor/chart-card';
import { MonitorFilterForm } from '@/components/monitor/monitor-filter-form';
import { Card, PageHeader } from '@/components/ui/card';
import { requireSection } from '@/lib/auth/session';
import { CHANNELS } from '@/lib/consent';
import { COMPLAINT_KINDS } from '@/lib/complaints/input';
import { coverageFilterOptions } from '@/lib/coverage/queries';
import { crossedAlerts } from '@/lib/monitor/alerts';
import { monitorQuery, parseMonitorParams } from '@/lib/monitor/filter';
import { SOURCE_GROUPS, alertFacts } from '@/lib/monitor/queries';
import type { Cell, MonitorChart } from '@/lib/monitor/tables';
import { monitorTable, records } from '@/lib/monitor/tables';
import { getDb } from '@/db';
import { readSetting } from '@/lib/settings/app-settings';
import { openReplyCount, repliesPerWeek } from '@/lib/replies/queries';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('nav'))('monitor') };
}

const CHANNEL_COLORS = { email: '#136249', sms: '#b45309', whatsapp: '#2563eb', phone: '#7c3aed' } as const;
const SOURCE_COLORS = {
  keyword: '#2563eb',
  whatsapp_setting: '#0891b2',
  customer: '#7c3aed',
  support: '#b45309',
  complaint: '#dc2626',
  import: '#64748b',
  other: '#a3a3a3',
} as const;
const KIND_COLORS = {
  no_consent: '#dc2626',
  unwanted_marketing: '#f97316',
  too_many_messages: '#eab308',
  wrong_content: '#8b5cf6',
  phishing: '#0ea5e9',
  legal_notice: '#7f1d1d',
  other: '#94a3b8',
} as const;

export default async function MonitorPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireSection('monitor');
  const params = parseMonitorParams(await searchParams);
  const db = await getDb();
  const [
    t,
    rt,
    enums,
    format,
    locale,
    options,
    channels,
    sources,
    complaints,
    campaigns,
    markets,
    facts,
    thresholds,
    replyWeeks,
    openReplies,
  ] = await Promise.all([
    getTranslations('monitor'),
    getTranslations('replies'),
    getTranslations('enums'),
    getFormatter(),
    getLocale(),
    coverageFilterOptions(),
    monitorTable('channels', params),
    monitorTable('sources', params),
    monitorTable('complaints', params),
    monitorTable('campaigns', params),
    monitorTable('markets', params),
    alertFacts(),
    readSetting(db, 'alert_thresholds'),
    repliesPerWeek(params.from, params.to, db),
    openReplyCount(db),
  ]);
  const alerts = crossedAlerts(facts, thresholds);
  const query = monitorQuery(params);
  const csv = (chart: MonitorChart) => `/monitor/export?chart=${chart}&${query}`;
  const day = (v: Cell) =>
    typeof v === 'string'
      ? format.dateTime(new Date(`${v}T12:00:00Z`), { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })
      : '';
  const num = (v: Cell) => (typeof v === 'number' ? format.number(v) : '—');
  const pct = (v: Cell) => (typeof v === 'number' ? format.number(v, { style: 'percent', maximumFractionDigits: 2 }) : '—');
  const periodLabel = params.grain === 'day' ? t('day') : t('week');
  const sum = (rows: Cell[][]) => rows.reduce((s, r) => s + r.slice(1).reduce<number>((a, c) => a + (typeof c === 'number' ? c : 0), 0), 0);

  const campaignRows = records(campaigns).map((r) => ({
    ...r,
    label: `${String(r.campaign)} (${format.dateTime(new Date(String(r.sent)), { day: 'numeric', month: 'short' })})`,
  }));
  const marketRows = records(markets);

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        actions={
          user.role === 'admin' ? (
            <Link href="/settings/alerts" className="text-sm font-medium text-brand-800 hover:underline">
              {t('thresholdsLink')}
            </Link>
          ) : undefined
        }
      />
      <AlertBanner alerts={alerts} />
      <MonitorFilterForm params={params} markets={options.markets} />
      <div className="grid gap-6 xl:grid-cols-2">
        <ChartCard
          id="channels"
          title={t('byChannel', { grain: params.grain })}
          csvHref={csv('channels')}
          columns={[periodLabel, ...CHANNELS.map((c) => enums(`channel.${c}`))]}
          rows={channels.rows.map((r) => [day(r[0]!), ...r.slice(1).map(num)])}
          empty={sum(channels.rows) === 0 ? t('noOptOuts') : undefined}
        >
          <StackedBars
            dates
            data={records(channels)}
            categoryKey="period"
            locale={locale}
            label={t('byChannel', { grain: params.grain })}
            series={CHANNELS.map((c) => ({ key: c, label: enums(`channel.${c}`), color: CHANNEL_COLORS[c] }))}
          />
        </ChartCard>
        <ChartCard
          id="sources"
          title={t('bySource', { grain: params.grain })}
          csvHref={csv('sources')}
          columns={[periodLabel, ...SOURCE_GROUPS.map((s) => t(`sources.${s}`))]}
          rows={sources.rows.map((r) => [day(r[0]!), ...r.slice(1).map(num)])}
          empty={sum(sources.rows) === 0 ? t('noOptOuts') : undefined}
        >
          <StackedBars
            dates
            data={records(sources)}
            categoryKey="period"
            locale={locale}
            label={t('bySource', { grain: params.grain })}
            series={SOURCE_GROUPS.map((s) => ({ key: s, label: t(`sources.${s}`), color: SOURCE_COLORS[s] }))}
          />
        </ChartCard>
        <ChartCard
          id="complaints"
          title={t('complaintsByKind')}
          csvHref={csv('complaints')}
          columns={[t('week'), ...COMPLAINT_KINDS.map((k) => enums(`complaintKind.${k}`))]}
          rows={complaints.rows.map((r) => [day(r[0]!), ...r.slice(1).map(num)])}
          empty={sum(complaints.rows) === 0 ? t('noComplaints') : undefined}
        >
          <StackedBars
            dates
            data={records(complaints)}
            categoryKey="period"
            locale={locale}
            label={t('complaintsByKind')}
            series={COMPLAINT_KINDS.map((k) => ({ key: k, label: enums(`complaintKind.${k}`), color: KIND_COLORS[k] }))}
          />
        </ChartCard>
        <ChartCard
          id="campaigns"
          title={t('campaignRates')}
          csvHref={csv('campaigns')}
          columns={[
            t('columns.campaign'),
            t('columns.sent'),
            t('columns.recipients'),
            t('columns.opt_outs'),
            t('columns.rate'),
            t('columns.complaints'),
          ]}
          rows={campaigns.rows.map((r) => [
            String(r[0]),
            format.dateTime(new Date(String(r[1])), 'short'),
            num(r[2]!),
            num(r[3]!),
            pct(r[4]!),
            num(r[5]!),
          ])}
          empty={campaigns.rows.length === 0 ? t('noCampaigns') : undefined}
        >
          <p className="mb-2 text-xs text-slate-600">{t('campaignRateHint')}</p>
          <RateBars
            data={campaignRows}
            categoryKey="label"
            valueKey="rate"
            valueLabel={t('columns.rate')}
            locale={locale}
            label={t('campaignRates')}
          />
        </ChartCard>
        <ChartCard
          id="markets"
          title={t('marketRates')}
          csvHref={csv('markets')}
          columns={[t('columns.market'), t('columns.opt_outs'), t('columns.customers'), t('columns.rate')]}
          rows={markets.rows.map((r) => [String(r[0]), num(r[1]!), num(r[2]!), pct(r[3]!)])}
          empty={markets.rows.length === 0 ? t('noOptOuts') : undefined}
        >
          <RateBars
            data={marketRows}
            categoryKey="market"
            valueKey="rate"
            valueLabel={t('columns.rate')}
            locale={locale}
            label={t('marketRates')}
            color="#b45309"
          />
        </ChartCard>
        <Card>
          <section aria-labelledby="replies-title" id="replies" className="scroll-mt-20">
            <div className="mb-1 flex flex-wrap items-start justify-between gap-2">
              <h2 id="replies-title" className="text-base font-semibold text-slate-900">
                {rt('monitorTitle')}
              </h2>
              <Link href="/replies" className="text-sm font-medium text-brand-800 hover:underline" data-testid="monitor-replies-open">
                {rt('waiting', { count: openReplies })}
              </Link>
            </div>
            <p className="mb-3 text-xs text-slate-600">{rt('monitorHint')}</p>
            {replyWeeks.length === 0 ? (
              <p className="py-6 text-center text-sm text-slate-600">{rt('monitorEmpty')}</p>
            ) : (
              <div className="max-h-96 overflow-auto rounded-md ring-1 ring-slate-200">
                <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="replies-table">
                  <caption className="sr-only">{rt('monitorTitle')}</caption>
                  <thead className="sticky top-0 bg-slate-50">
                    <tr>
                      {[rt('monitorWeek'), rt('monitorReceived'), rt('monitorOpen')].map((c) => (
                        <th key={c} scope="col" className="px-3 py-2 text-left text-xs font-semibold text-slate-600">
                          {c}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {replyWeeks.map((w) => (
                      <tr key={w.week}>
                        <td className="px-3 py-1.5">{day(w.week)}</td>
                        <td className="px-3 py-1.5">{format.number(w.received)}</td>
                        <td className="px-3 py-1.5">{format.number(w.open)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </Card>
      </div>
    </>
  );
}
