import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { CustomerFilterForm } from '@/components/customers/customer-filter-form';
import { EmptyState, PageHeader } from '@/components/ui/card';
import { Pagination } from '@/components/ui/pagination';
import { buttonClass } from '@/components/ui/button';
import { IMPORTERS } from '@/lib/auth/roles';
import { Table, Td, Th } from '@/components/ui/table';
import { requireSection } from '@/lib/auth/session';
import { coverageFilterOptions } from '@/lib/coverage/queries';
import { customerFilterQuery, parseCustomerFilter } from '@/lib/customers/filter';
import { listCustomers } from '@/lib/customers/queries';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('nav'))('customers') };
}

export default async function CustomersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireSection('customers');
  const filter = parseCustomerFilter(await searchParams);
  const [t, optIn, common, format, result, options] = await Promise.all([
    getTranslations('customers'),
    getTranslations('optIn'),
    getTranslations('common'),
    getFormatter(),
    listCustomers(filter),
    coverageFilterOptions(),
  ]);
  const noCustomers = options.markets.length === 0;
  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        actions={
          <div className="flex flex-wrap gap-2">
            {!noCustomers && (
              <a href={`/customers/export?${customerFilterQuery({ ...filter, page: 1 })}`} className={buttonClass('secondary')}>
                {t('exportCsv')}
              </a>
            )}
            {!noCustomers && IMPORTERS.includes(user.role) && (
              <Link href={`/customers/confirmations?${customerFilterQuery({ ...filter, page: 1 })}`} className={buttonClass('secondary')}>
                {optIn('confirmTitle')}
              </Link>
            )}
            {IMPORTERS.includes(user.role) && (
              <Link href="/customers/import" className={buttonClass('primary')}>
                {t('importAction')}
              </Link>
            )}
          </div>
        }
      />
      {noCustomers ? (
        <EmptyState title={t('emptyTitle')}>{t('emptyText')}</EmptyState>
      ) : (
        <>
          <CustomerFilterForm filter={filter} options={options} />
          <p className="mb-3 text-sm text-slate-700" data-testid="customer-count" role="status">
            {result.exact
              ? t('matching', { count: result.total, formatted: format.number(result.total) })
              : t('matchingMore', { formatted: format.number(result.total) })}
          </p>
          {result.total > 0 && (
            <Table caption={t('title')}>
              <thead>
                <tr>
                  <Th>{t('name')}</Th>
                  <Th>{t('email')}</Th>
                  <Th>{t('phone')}</Th>
                  <Th>{t('market')}</Th>
                  <Th>{t('source')}</Th>
                  <Th>{t('createdAt')}</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {result.rows.map((c) => (
                  <tr key={c.id}>
                    <Td className="font-medium">
                      <Link href={`/customers/${c.id}`} className="text-brand-800 hover:underline">
                        {[c.firstName, c.lastName].filter(Boolean).join(' ') || `#${c.id}`}
                      </Link>
                    </Td>
                    <Td>{c.email ?? '—'}</Td>
                    <Td className="whitespace-nowrap tabular-nums">{c.phone ?? '—'}</Td>
                    <Td>{c.market}</Td>
                    <Td>{c.source}</Td>
                    <Td className="whitespace-nowrap">{format.dateTime(c.createdAt, 'short')}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
          <Pagination
            page={filter.page}
            pages={result.pages}
            href={(page) => `/customers?${customerFilterQuery({ ...filter, page })}`}
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
      )}
    </>
  );
}
