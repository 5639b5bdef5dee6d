import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { Alert } from '@/components/ui/alert';
import { PageHeader } from '@/components/ui/card';
import { Stat } from '@/components/ui/stat';
import { WhatsAppReach } from '@/components/coverage/whatsapp-reach';
import { coverageThisWeek } from '@/lib/coverage/queries';
import { requireSection } from '@/lib/auth/session';
import { openLegalNotices, overviewFigures } from '@/lib/overview/queries';
import { AlertBanner } from '@/components/monitor/alert-banner';
import { getDb } from '@/db';
import { canOpen } from '@/lib/auth/roles';
import { crossedAlerts } from '@/lib/monitor/alerts';
import { alertFacts } from '@/lib/monitor/queries';
import { readSetting } from '@/lib/settings/app-settings';
import { openReplyCount } from '@/lib/replies/queries';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('nav'))('overview') };
}

export default async function OverviewPage() {
  const user = await requireSection('overview');
  const [t, replies, enums, format, figures, notices, reach, facts, thresholds, openReplies] = await Promise.all([
    getTranslations('overview'),
    getTranslations('replies'),
    getTranslations('enums'),
    getFormatter(),
    overviewFigures(),
    openLegalNotices(),
    coverageThisWeek(),
    alertFacts(),
    getDb().then((db) => readSetting(db, 'alert_thresholds')),
    openReplyCount(),
  ]);
  // Legal notices have their own list below; the banner carries the other crossed thresholds.
  const alerts = crossedAlerts(facts, thresholds).filter(
    (a) => a.kind !== 'legal_notice' && (a.kind !== 'campaign_rate' || canOpen(user.role, 'monitor')),
  );
  return (
    <>
      <PageHeader title={t('title', { name: user.name.split(' ')[0] ?? user.name })} description={t('description')} />
      <AlertBanner alerts={alerts} />
      {notices.length > 0 && (
        <Alert tone="error" className="mb-6">
          <p className="font-semibold">{t('legalNoticesTitle', { count: notices.length })}</p>
          <ul className="mt-2 space-y-1">
            {notices.map((n) => (
              <li key={n.id}>
                <Link href={`/complaints/${n.id}`} className="underline underline-offset-2">
                  {format.dateTime(n.receivedAt, 'short')} · {enums(`channel.${n.channel}`)} ·{' '}
                  {[n.firstName, n.lastName].filter(Boolean).join(' ') || t('unknownContact')}
                </Link>
                : {n.description}
              </li>
            ))}
          </ul>
        </Alert>
      )}
      <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-5">
        <Stat label={t('customers')} value={format.number(figures.customers)} />
        <Stat label={t('eventsLast7Days')} value={format.number(figures.eventsLast7Days)} />
        <Stat label={t('optOutsLast7Days')} value={format.number(figures.optOutsLast7Days)} />
        <Stat
          label={t('openComplaints')}
          value={format.number(figures.openComplaints)}
          note={figures.urgentComplaints > 0 ? t('urgentComplaints', { count: figures.urgentComplaints }) : undefined}
        />
        <Stat
          label={replies('overviewStat')}
          value={
            <Link href="/replies" className="hover:underline" data-testid="overview-replies">
              {format.number(openReplies)}
            </Link>
          }
          note={
            <Link href="/replies" className="font-medium text-brand-800 hover:underline">
              {replies('overviewLink')}
            </Link>
          }
        />
      </dl>
      {figures.customers > 0 && <WhatsAppReach now={reach.now} weekAgo={reach.weekAgo} />}
    </>
  );
}
