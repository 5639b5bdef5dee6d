import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { MailStatus } from '@/components/opt-in/mail-status';
import { RefreshWhile, SendConfirmations } from '@/components/opt-in/send-confirmations';
import { Card, PageHeader } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { getDb } from '@/db';
import { requireRole } from '@/lib/auth/session';
import { customerFilterQuery, parseCustomerFilter } from '@/lib/customers/filter';
import { mailSettings } from '@/lib/mail/send';
import { recentRuns } from '@/lib/opt-in/bulk';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('optIn'))('confirmTitle') };
}

/** Confirmation mails for the customers of a filtered list whose consent waits for double opt-in. */
export default async function ConfirmationsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireRole('admin', 'seller');
  const filter = parseCustomerFilter(await searchParams);
  const query = customerFilterQuery({ ...filter, page: 1 });
  const [t, customers, format, runs] = await Promise.all([
    getTranslations('optIn'),
    getTranslations('customers'),
    getFormatter(),
    recentRuns(await getDb()),
  ]);
  const active = runs.some((r) => r.status === 'queued' || r.status === 'running');
  return (
    <>
      <PageHeader title={t('confirmTitle')} description={t('confirmIntro')} />
      <div className="space-y-6">
        <Card>
          <p className="mb-4 text-sm text-slate-700">
            <Link href={`/customers?${query}`} className="text-brand-800 underline">
              {customers('title')}
            </Link>
            {query ? ` · ${decodeURIComponent(query.replace(/&/g, ' · '))}` : ''}
          </p>
          <div className="mb-4">
            <MailStatus />
          </div>
          <SendConfirmations filter={query} canSend={mailSettings() !== null} />
        </Card>
        <Card>
          <h2 className="mb-3 text-base font-semibold text-slate-900">{t('runsTitle')}</h2>
          <RefreshWhile active={active} />
          {runs.length === 0 ? (
            <p className="text-sm text-slate-600">—</p>
          ) : (
            <Table caption={t('runsTitle')}>
              <thead>
                <tr>
                  <Th>#</Th>
                  <Th>{t('colShop')}</Th>
                  <Th>{customers('createdAt')}</Th>
                  <Th>{t('colStatus')}</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {runs.map((r) => (
                  <tr key={r.id} data-testid={`run-${r.id}`}>
                    <Td className="tabular-nums">{r.id}</Td>
                    <Td>{r.shopName}</Td>
                    <Td className="whitespace-nowrap">{format.dateTime(r.createdAt, 'short')}</Td>
                    <Td role="status">
                      <span className="font-medium">{t(`runStatus.${r.status}`)}</span>
                      {' · '}
                      {t('runProgress', { sent: format.number(r.sent), failed: format.number(r.failed), found: format.number(r.found) })}
                      {r.failure && <span className="block text-red-700">{t('runFailure', { failure: r.failure })}</span>}
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </Card>
      </div>
    </>
  );
}
