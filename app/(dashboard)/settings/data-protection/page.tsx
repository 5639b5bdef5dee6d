import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { RetentionForm, RunNowButton, VerifyButton } from '@/components/data-protection/forms';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { getDb } from '@/db';
import { lastVerification, rightsEvents } from '@/lib/audit/queries';
import { requireRole } from '@/lib/auth/session';
import { latestRuns } from '@/lib/retention/run';
import type { RetentionCounts } from '@/lib/retention/run';
import { readSetting } from '@/lib/settings/app-settings';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('dataProtection'))('title') };
}

export default async function DataProtectionPage() {
  await requireRole('admin');
  const db = await getDb();
  const [t, format, settings, runs, events, verification] = await Promise.all([
    getTranslations('dataProtection'),
    getFormatter(),
    readSetting(db, 'retention'),
    latestRuns(db),
    rightsEvents(db),
    lastVerification(db),
  ]);
  const when = (at: Date) => format.dateTime(at, { dateStyle: 'medium', timeStyle: 'short' });
  const removed = (counts: Partial<RetentionCounts>) =>
    Object.entries(counts)
      .filter(([, n]) => Number(n) > 0)
      .map(([kind, n]) => t(`removed.${kind}`, { count: Number(n) }))
      .join(', ') || t('removedNothing');
  return (
    <div className="space-y-6">
      <Card>
        <h2 className="mb-1 text-base font-semibold text-slate-900">{t('retentionTitle')}</h2>
        <p className="mb-4 text-sm text-slate-600">{t('retentionText')}</p>
        <RetentionForm value={settings} />
      </Card>

      <Card>
        <div className="mb-4 flex flex-wrap items-start justify-between gap-4">
          <div>
            <h2 className="mb-1 text-base font-semibold text-slate-900">{t('runsTitle')}</h2>
            <p className="text-sm text-slate-600">{t('runsText')}</p>
          </div>
          <RunNowButton />
        </div>
        {runs.length === 0 ? (
          <p className="text-sm text-slate-600">{t('noRuns')}</p>
        ) : (
          <Table caption={t('runsTitle')}>
            <thead>
              <tr>
                <Th>{t('started')}</Th>
                <Th>{t('by')}</Th>
                <Th>{t('status')}</Th>
                <Th>{t('whatRemoved')}</Th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr key={run.id}>
                  <Td>{when(run.startedAt)}</Td>
                  <Td>{run.startedByName ?? t('schedule')}</Td>
                  <Td>
                    <Badge tone={run.status === 'done' ? 'good' : run.status === 'failed' ? 'bad' : 'info'}>
                      {t(`runStatus.${run.status}`)}
                    </Badge>
                  </Td>
                  <Td>
                    {removed(run.removed)}
                    {run.error && <span className="block text-xs text-red-800">{run.error}</span>}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>

      <Card>
        <h2 className="mb-1 text-base font-semibold text-slate-900">{t('rightsTitle')}</h2>
        <p className="mb-4 text-sm text-slate-600">{t('rightsText')}</p>
        {events.length === 0 ? (
          <p className="text-sm text-slate-600">{t('noRights')}</p>
        ) : (
          <Table caption={t('rightsTitle')}>
            <thead>
              <tr>
                <Th>{t('when')}</Th>
                <Th>{t('what')}</Th>
                <Th>{t('customer')}</Th>
                <Th>{t('by')}</Th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id}>
                  <Td>{when(e.at)}</Td>
                  <Td>{t(`rights.${e.action === 'customer.erased' ? 'erased' : 'exported'}`)}</Td>
                  <Td>
                    {e.customerId ? (
                      <Link href={`/customers/${e.customerId}`} className="text-sky-800 underline">
                        #{e.customerId}
                      </Link>
                    ) : (
                      '—'
                    )}
                  </Td>
                  <Td>{e.actorName ?? t('schedule')}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>

      <Card>
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div>
            <h2 className="mb-1 text-base font-semibold text-slate-900">{t('chainTitle')}</h2>
            <p className="mb-3 text-sm text-slate-600">{t('chainText')}</p>
            <p className="text-sm" data-testid="chain-state">
              {!verification ? (
                t('chainNever')
              ) : verification.ok ? (
                <>
                  <Badge tone="good">{t('intact')}</Badge>{' '}
                  {t('chainVerified', {
                    upTo: verification.upTo,
                    at: when(verification.at),
                    by: verification.actorName ?? t('commandLine'),
                  })}
                </>
              ) : (
                <>
                  <Badge tone="bad">{t('broken')}</Badge>{' '}
                  {t('chainBrokenAt', {
                    seq: verification.broken?.seq ?? 0,
                    id: verification.broken?.id ?? 0,
                    reason: t(`reasons.${verification.broken?.reason ?? 'edited'}`),
                    upTo: verification.upTo,
                    at: when(verification.at),
                  })}
                </>
              )}
            </p>
          </div>
          <VerifyButton />
        </div>
      </Card>
    </div>
  );
}
