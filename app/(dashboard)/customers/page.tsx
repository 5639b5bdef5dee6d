import type { Metadata } from 'next';
import { z } from 'zod';
import { getFormatter, getTranslations } from 'next-intl/server';
import { EmptyState, PageHeader } from '@/components/ui/card';
import { Pagination } from '@/components/ui/pagination';
import { Table, Td, Th } from '@/components/ui/table';
import { requireSection } from '@/lib/auth/session';
import { listCustomers } from '@/lib/customers/queries';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('nav'))('customers') };
}

const pageSchema = z.coerce.number().int().min(1).max(1_000_000).catch(1);

export default async function CustomersPage({ searchParams }: { searchParams: Promise<{ page?: string }> }) {
  await requireSection('customers');
  const page = pageSchema.parse((await searchParams).page);
  const [t, common, format, result] = await Promise.all([getTranslations('customers'), getTranslations('common'), getFormatter(), listCustomers(page)]);
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      {result.total === 0 ? (
        <EmptyState title={t('emptyTitle')}>{t('emptyText')}</EmptyState>
      ) : (
        <>
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
                  <Td className="font-medium">{[c.firstName, c.lastName].filter(Boolean).join(' ') || '—'}</Td>
                  <Td>{c.email ?? '—'}</Td>
                  <Td className="whitespace-nowrap tabular-nums">{c.phone ?? '—'}</Td>
                  <Td>{c.market}</Td>
                  <Td>{c.source}</Td>
                  <Td className="whitespace-nowrap">{format.dateTime(c.createdAt, 'short')}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
          <Pagination
            page={page}
            pages={result.pages}
            href={(p) => `/customers?page=${p}`}
            labels={{
              previous: common('previous'),
              next: common('next'),
              nav: common('pagination'),
              status: common('pageStatus', { page: format.number(page), pages: format.number(result.pages), total: format.number(result.total) }),
            }}
          />
        </>
      )}
    </>
  );
}
