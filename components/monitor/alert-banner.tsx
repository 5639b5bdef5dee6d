import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { Alert } from '@/components/ui/alert';
import type { Alert as MonitorAlert } from '@/lib/monitor/alerts';

/** The crossed alert thresholds, each with a link to its cause. */
export async function AlertBanner({ alerts }: { alerts: MonitorAlert[] }) {
  if (alerts.length === 0) return null;
  const [t, format] = await Promise.all([getTranslations('monitor.alerts'), getFormatter()]);
  const pct = (v: number) => format.number(v, { style: 'percent', maximumFractionDigits: 2 });
  const item = (a: MonitorAlert): { text: string; href: string } => {
    switch (a.kind) {
      case 'campaign_rate':
        return { text: t('campaignRate', { name: a.name, rate: pct(a.rate), threshold: pct(a.threshold) }), href: '/monitor#campaigns' };
      case 'weekly_complaints':
        return { text: t('weeklyComplaints', { count: a.count, threshold: a.threshold }), href: `/complaints?from=${a.weekStart}` };
      case 'complaints_trend':
        return {
          text: t('complaintsTrend', {
            count: a.count,
            average: format.number(a.average, { maximumFractionDigits: 1 }),
            factor: format.number(a.factor),
          }),
          href: `/complaints?from=${a.weekStart}`,
        };
      case 'legal_notice':
        return { text: t('legalNotice', { count: a.count }), href: '/complaints?kind=legal_notice&status=unresolved' };
    }
  };
  return (
    <Alert tone="warning" className="mb-6">
      <p className="font-semibold">{t('title', { count: alerts.length })}</p>
      <ul className="mt-2 list-disc space-y-1 pl-5" data-testid="monitor-alerts">
        {alerts.map((a, i) => {
          const { text, href } = item(a);
          return (
            <li key={i}>
              {text}{' '}
              <Link href={href} className="font-medium underline underline-offset-2">
                {t('see')}
              </Link>
            </li>
          );
        })}
      </ul>
    </Alert>
  );
}
