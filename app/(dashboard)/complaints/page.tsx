import type { Metadata } from 'next';
import { getFormatter, getTranslations } from 'next-intl/server';
import { Badge } from '@/components/ui/badge';
import { EmptyState, PageHeader } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { requireSection } from '@/lib/auth/session';
import { latestComplaints } from '@/lib/complaints/queries';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('nav'))('complaints') };
}

const STATUS_TONE = { open: 'bad', investigating: 'warn', resolved: 'good' } as const;

export default async function ComplaintsPage() {
  await requireSection('complaints');
  const [t, enums, format, rows] = await Promise.all([getTranslations('complaints'), getTranslations('enums'), getFormatter(), latestComplaints()]);
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      {rows.length === 0 ? (
        <EmptyState title={t('emptyTitle')}>{t('emptyText')}</EmptyState>
      ) : (
        <Table caption={t('title')}>
          <thead>
            <tr>
              <Th>{t('receivedAt')}</Th>
              <Th>{t('kind')}</Th>
              <Th>{t('channel')}</Th>
              <Th>{t('customer')}</Th>
              <Th>{t('status')}</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((c) => (
              <tr key={c.id}>
                <Td className="whitespace-nowrap">{format.dateTime(c.receivedAt, 'short')}</Td>
                <Td>
                  {enums(`complaintKind.${c.kind}`)} {c.urgent && <Badge tone="bad">{t('urgent')}</Badge>}
                </Td>
                <Td>{enums(`channel.${c.channel}`)}</Td>
                <Td>{[c.firstName, c.lastName].filter(Boolean).join(' ') || c.contactEmail || c.contactPhone || '—'}</Td>
                <Td>
                  <Badge tone={STATUS_TONE[c.status]}>{enums(`complaintStatus.${c.status}`)}</Badge>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
