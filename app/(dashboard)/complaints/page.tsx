import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { ComplaintFilterForm } from '@/components/complaints/complaint-filter-form';
import { ComplaintStatusBadge } from '@/components/complaints/status-badge';
import { Badge } from '@/components/ui/badge';
import { buttonClass } from '@/components/ui/button';
import { EmptyState, PageHeader } from '@/components/ui/card';
import { Pagination } from '@/components/ui/pagination';
import { Table, Td, Th } from '@/components/ui/table';
import { requireSection } from '@/lib/auth/session';
import { complaintFilterQuery, parseComplaintFilter } from '@/lib/complaints/filter';
import { listComplaints } from '@/lib/complaints/queries';
import { coverageFilterOptions } from '@/lib/coverage/queries';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('nav'))('complaints') };
}

export default async function ComplaintsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireSection('complaints');
  const filter = parseComplaintFilter(await searchParams);
  const [t, enums, common, format, result, options] = await Promise.all([
    getTranslations('complaints'),
    getTranslations('enums'),
    getTranslations('common'),
    getFormatter(),
    listComplaints(filter),
    coverageFilterOptions(),
  ]);
  const query = complaintFilterQuery({ ...filter, page: 1 });
  const canLog = user.role !== 'manager';
  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        actions={
          <div className="flex flex-wrap gap-2">
            <Link href={`/complaints/export${query ? `?${query}` : ''}`} className={buttonClass('secondary')} prefetch={false}>
              {t('exportCsv')}
            </Link>
            {canLog && (
              <Link href="/complaints/new" className={buttonClass('primary')}>
                {t('logComplaint')}
              </Link>
            )}
          </div>
        }
      />
      <ComplaintFilterForm filter={filter} markets={options.markets} />
      <p className="mb-3 text-sm text-slate-700" role="status" data-testid="complaint-count">
        {t('matching', { count: result.total, formatted: format.number(result.total) })}
      </p>
      {result.total === 0 ? (
        <EmptyState title={t('emptyTitle')}>{t('emptyText')}</EmptyState>
      ) : (
        <Table caption={t('title')}>
          <thead>
            <tr>
              <Th>{t('receivedAt')}</Th>
              <Th>{t('kind')}</Th>
              <Th>{t('channel')}</Th>
              <Th>{t('market')}</Th>
              <Th>{t('customer')}</Th>
              <Th>{t('assignee')}</Th>
              <Th>{t('status')}</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {result.rows.map((c) => (
              <tr key={c.id}>
                <Td className="whitespace-nowrap">
                  <Link href={`/complaints/${c.id}`} className="font-medium text-brand-800 hover:underline">
                    {format.dateTime(c.receivedAt, 'short')}
                  </Link>
                </Td>
                <Td>
                  {enums(`complaintKind.${c.kind}`)} {c.urgent && c.status !== 'resolved' && <Badge tone="bad">{t('urgent')}</Badge>}
                </Td>
                <Td>{enums(`channel.${c.channel}`)}</Td>
                <Td>{c.market ?? '—'}</Td>
                <Td>{[c.firstName, c.lastName].filter(Boolean).join(' ') || c.contactEmail || c.contactPhone || '—'}</Td>
                <Td>{c.assigneeName ?? '—'}</Td>
                <Td>
                  <ComplaintStatusBadge status={c.status} />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <Pagination
        page={filter.page}
        pages={result.pages}
        href={(page) => `/complaints?${complaintFilterQuery({ ...filter, page })}`}
        labels={{
          previous: common('previous'),
          next: common('next'),
          nav: common('pagination'),
          status: common('pageStatus', {
            page: format.number(filter.page),
            pages: format.number(result.pages),
            total: format.number(result.total),
          }),
        }}
      />
    </>
  );
}
