import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { DraftStatusBadge } from '@/components/messages/status-badge';
import { MetaStatusBadge } from '@/components/whatsapp/meta-template';
import { Badge } from '@/components/ui/badge';
import { buttonClass } from '@/components/ui/button';
import { EmptyState, PageHeader } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { getDb } from '@/db';
import { requireSection } from '@/lib/auth/session';
import { STEP_ROLES } from '@/lib/messages/workflow';
import { listDrafts } from '@/lib/messages/store';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('nav'))('messages') };
}

export default async function MessagesPage() {
  const user = await requireSection('messages');
  const [t, tw, format, drafts] = await Promise.all([
    getTranslations('messages'),
    getTranslations('whatsappConnection'),
    getFormatter(),
    listDrafts(await getDb()),
  ]);
  const canWrite = STEP_ROLES.edit.includes(user.role);
  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        actions={
          canWrite ? (
            <Link href="/messages/new" className={buttonClass('primary')}>
              {t('newDraft')}
            </Link>
          ) : undefined
        }
      />
      {drafts.length === 0 ? (
        <EmptyState title={t('emptyTitle')}>{t('emptyText')}</EmptyState>
      ) : (
        <Table caption={t('title')}>
          <thead>
            <tr>
              <Th>{t('name')}</Th>
              <Th>{t('category')}</Th>
              <Th>{t('language')}</Th>
              <Th>{t('status')}</Th>
              <Th>{tw('metaColumn')}</Th>
              <Th className="text-right">{t('audienceSize')}</Th>
              <Th>{t('author')}</Th>
              <Th>{t('lastChange')}</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {drafts.map((d) => (
              <tr key={d.id} data-draft={d.name}>
                <Td className="font-medium">
                  <Link href={`/messages/${d.id}`} className="break-all text-brand-800 hover:underline">
                    {d.name}
                  </Link>
                </Td>
                <Td>
                  <Badge tone={d.category === 'marketing' ? 'info' : 'neutral'}>{t(`categories.${d.category}`)}</Badge>
                </Td>
                <Td>{d.language}</Td>
                <Td>
                  <DraftStatusBadge status={d.status} />
                </Td>
                <Td>
                  <MetaStatusBadge status={d.metaStatus} />
                </Td>
                <Td className="text-right tabular-nums">{d.audienceSize === null ? '—' : format.number(d.audienceSize)}</Td>
                <Td>{d.authorName}</Td>
                <Td className="whitespace-nowrap">{format.dateTime(d.updatedAt, 'short')}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
