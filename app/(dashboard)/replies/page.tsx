import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { DecideReplyForm } from '@/components/replies/decide-form';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { EmptyState, PageHeader } from '@/components/ui/card';
import { Pagination } from '@/components/ui/pagination';
import { Table, Td, Th } from '@/components/ui/table';
import { REPLY_DECIDERS } from '@/lib/auth/roles';
import { requireSection } from '@/lib/auth/session';
import { listOpenReplies } from '@/lib/replies/queries';
import { REPLY_DECISIONS } from '@/lib/replies/record';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('replies'))('title') };
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function RepliesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireSection('replies');
  const params = await searchParams;
  const page = Math.max(1, Math.floor(Number(one(params.page)) || 1));
  const decided = REPLY_DECISIONS.find((d) => d === one(params.decided));
  const complaintId = Number(one(params.complaint)) || null;
  const [t, common, format, result] = await Promise.all([
    getTranslations('replies'),
    getTranslations('common'),
    getFormatter(),
    listOpenReplies(page),
  ]);
  const canDecide = REPLY_DECIDERS.includes(user.role);
  const now = new Date();
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      {decided && (
        <Alert tone="success" className="mb-4">
          {t(`decided.${decided}`)}{' '}
          {complaintId && (
            <Link href={`/complaints/${complaintId}`} className="font-medium underline underline-offset-2">
              {t('openComplaint')}
            </Link>
          )}
        </Alert>
      )}
      {!canDecide && <Alert className="mb-4">{t('readOnly')}</Alert>}
      <p className="mb-3 text-sm text-slate-700" role="status" data-testid="reply-count">
        {t('waiting', { count: result.total })}
      </p>
      {result.total === 0 ? (
        <EmptyState title={t('emptyTitle')}>{t('emptyText')}</EmptyState>
      ) : (
        <Table caption={t('title')}>
          <thead>
            <tr>
              <Th className="w-40">{t('receivedAt')}</Th>
              <Th className="w-56">{t('customer')}</Th>
              <Th>{t('message')}</Th>
              {canDecide && <Th className="w-[26rem]">{t('decision')}</Th>}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {result.rows.map((r) => (
              <tr key={r.id} data-testid="reply-row" data-message-id={r.messageId}>
                <Td className="whitespace-nowrap">
                  <time dateTime={r.receivedAt.toISOString()}>{format.dateTime(r.receivedAt, 'long')}</time>
                  <span className="block text-xs text-slate-500">{format.relativeTime(r.receivedAt, now)}</span>
                </Td>
                <Td>
                  {r.customers.length === 0 ? (
                    <span className="text-slate-600">{t('unknownPhone')}</span>
                  ) : (
                    <ul className="space-y-0.5">
                      {r.customers.map((c) => (
                        <li key={c.id}>
                          <Link href={`/customers/${c.id}`} className="font-medium text-brand-800 hover:underline">
                            {[c.firstName, c.lastName].filter(Boolean).join(' ') || `#${c.id}`}
                          </Link>{' '}
                          <span className="text-xs text-slate-500">{c.market}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                  <span className="mt-0.5 block font-mono text-xs text-slate-600">{r.phone}</span>
                </Td>
                <Td>
                  {r.text ? (
                    <blockquote className="whitespace-pre-wrap break-words border-l-4 border-slate-200 pl-3 text-slate-900">
                      {r.text}
                    </blockquote>
                  ) : (
                    <p className="border-l-4 border-slate-200 pl-3 italic text-slate-700">{t('voiceMessage')}</p>
                  )}
                  <span className="mt-1 inline-block">
                    <Badge tone="warn">{r.cue ? t('cue', { cue: r.cue }) : t('voiceCue')}</Badge>
                  </span>
                </Td>
                {canDecide && (
                  <Td>
                    <DecideReplyForm reviewId={r.id} label={t('decisionsFor', { phone: r.phone })} />
                  </Td>
                )}
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {result.pages > 1 && (
        <Pagination
          page={page}
          pages={result.pages}
          href={(p) => `/replies?page=${p}`}
          labels={{
            previous: common('previous'),
            next: common('next'),
            nav: common('pagination'),
            status: common('pageStatus', {
              page: format.number(page),
              pages: format.number(result.pages),
              total: format.number(result.total),
            }),
          }}
        />
      )}
    </>
  );
}
