import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import { CampaignControls, RefreshWhileSending } from '@/components/campaigns/campaign-forms';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { buttonClass } from '@/components/ui/button';
import { Card, PageHeader } from '@/components/ui/card';
import { ProgressBar } from '@/components/ui/progress-bar';
import { Table, Td, Th } from '@/components/ui/table';
import { getDb } from '@/db';
import { requireSection } from '@/lib/auth/session';
import { CONTROL_ROLES } from '@/lib/campaigns/create';
import { RECIPIENT_STATUSES, campaignDetail, reachedCount, recipientFilterSchema, recipientsPage } from '@/lib/campaigns/queries';

const PAGE = 50;

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  return { title: `${(await getTranslations('campaigns'))('title')} #${(await params).id}` };
}

const STATUS_TONE = { queued: 'neutral', sending: 'info', paused: 'warn', completed: 'good', cancelled: 'bad' } as const;

export default async function CampaignPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireSection('messages');
  const raw = Number((await params).id);
  if (!Number.isInteger(raw) || raw <= 0 || raw > 2_147_483_647) notFound();
  const db = await getDb();
  const campaign = await campaignDetail(db, raw);
  if (!campaign) notFound();
  const search = await searchParams;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const filter = recipientFilterSchema.parse({ status: one(search.status), reason: one(search.reason), after: one(search.after) });
  const [t, format, rows] = await Promise.all([
    getTranslations('campaigns'),
    getFormatter(),
    recipientsPage(db, campaign.id, filter, PAGE + 1),
  ]);
  const more = rows.length > PAGE;
  const shown = rows.slice(0, PAGE);
  const c = campaign.counts;
  const answered = c.sent + c.delivered + c.read + c.failed + c.skipped;
  const total = campaign.recipientCount;
  const running = campaign.status === 'queued' || campaign.status === 'sending';
  const reasonText = (reason: string) => (t.has(`reasons.${reason}`) ? t(`reasons.${reason}`) : reason);
  const query = (f: { status?: string; reason?: string; after?: number }) => {
    const p = new URLSearchParams();
    if (f.status) p.set('status', f.status);
    if (f.reason) p.set('reason', f.reason);
    if (f.after) p.set('after', String(f.after));
    const s = p.toString();
    return s ? `?${s}` : '';
  };
  const csvHref = `/messages/campaigns/${campaign.id}/recipients.csv${query({ status: filter.status, reason: filter.reason })}`;
  const when = (d: Date | null) => (d ? format.dateTime(d, 'short') : '—');
  return (
    <>
      <RefreshWhileSending active={running} />
      <PageHeader
        title={t('heading', { name: campaign.name, id: campaign.id })}
        description={t('byline', { name: campaign.createdBy, date: format.dateTime(campaign.createdAt, 'short') })}
        actions={
          <div className="flex flex-wrap items-center gap-2">
            <Badge tone={campaign.category === 'marketing' ? 'info' : 'neutral'}>{t(`categories.${campaign.category}`)}</Badge>
            <span data-testid="campaign-status">
              <Badge tone={STATUS_TONE[campaign.status]}>{t(`statuses.${campaign.status}`)}</Badge>
            </span>
            <Link href={`/messages/${campaign.draftId}`} className={buttonClass('secondary')}>
              {t('toDraft')}
            </Link>
          </div>
        }
      />
      {campaign.status === 'paused' && (
        <Alert tone={campaign.pausedReason === 'manual' ? 'warning' : 'error'} className="mb-4">
          <p className="font-medium" data-testid="paused-banner">
            {t(`paused.${campaign.pausedReason && t.has(`paused.${campaign.pausedReason}`) ? campaign.pausedReason : 'other'}`)}
          </p>
          {campaign.pausedDetail && <p className="mt-1 text-sm">{t('metaSaid', { detail: campaign.pausedDetail })}</p>}
        </Alert>
      )}

      <Card className="mb-6 space-y-4">
        <ProgressBar value={answered} max={total} label={t('progress', { done: format.number(answered), total: format.number(total) })} />
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-7" data-testid="campaign-counts">
          {RECIPIENT_STATUSES.map((s) => (
            <div key={s} className="rounded-md bg-slate-50 p-2 ring-1 ring-slate-200">
              <dt className="text-xs text-slate-600">{t(`recipientStatuses.${s}`)}</dt>
              <dd className="text-lg font-semibold tabular-nums" data-testid={`count-${s}`}>
                <Link href={query({ status: s }) || '?'} className="hover:underline">
                  {format.number(reachedCount(c, s))}
                </Link>
              </dd>
            </div>
          ))}
        </dl>
        <p className="text-xs text-slate-600">{t('countsNote')}</p>
        {campaign.reasons.length > 0 && (
          <div>
            <h2 className="mb-1 text-sm font-semibold text-slate-900">{t('reasonsTitle')}</h2>
            <ul className="text-sm text-slate-700" data-testid="campaign-reasons">
              {campaign.reasons.map((r) => (
                <li key={`${r.status}:${r.reason}`}>
                  <Link href={query({ status: r.status, reason: r.reason })} className="hover:underline">
                    {t(`recipientStatuses.${r.status}`)} · {reasonText(r.reason)}:{' '}
                    <span className="tabular-nums">{format.number(r.n)}</span>
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        )}
        <p className="text-xs text-slate-600">
          {t('rate', {
            rate: campaign.ratePerSecond === null ? t('rateDefault') : campaign.ratePerSecond === 0 ? t('rateOff') : campaign.ratePerSecond,
          })}
          {campaign.startedAt && ` · ${t('startedAt', { date: when(campaign.startedAt) })}`}
          {campaign.finishedAt && ` · ${t('finishedAt', { date: when(campaign.finishedAt) })}`}
        </p>
        {CONTROL_ROLES.includes(user.role) && <CampaignControls campaignId={campaign.id} status={campaign.status} />}
      </Card>

      <section aria-labelledby="recipients-title">
        <div className="mb-2 flex flex-wrap items-end justify-between gap-3">
          <h2 id="recipients-title" className="text-base font-semibold text-slate-900">
            {t('recipientsTitle')}
          </h2>
          <form method="get" className="flex flex-wrap items-end gap-2">
            <div>
              <label htmlFor="status-filter" className="block text-xs font-medium text-slate-700">
                {t('filterStatus')}
              </label>
              <select
                id="status-filter"
                name="status"
                defaultValue={filter.status ?? ''}
                className="rounded-md border-0 py-1.5 pl-2 pr-8 text-sm ring-1 ring-inset ring-slate-300"
              >
                <option value="">{t('all')}</option>
                {RECIPIENT_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {t(`recipientStatuses.${s}`)}
                  </option>
                ))}
              </select>
            </div>
            {filter.reason && <input type="hidden" name="reason" value={filter.reason} />}
            <button type="submit" className={buttonClass('secondary')}>
              {t('filter')}
            </button>
            <a href={csvHref} className={buttonClass('secondary')} download>
              {t('downloadCsv')}
            </a>
          </form>
        </div>
        {filter.reason && (
          <p className="mb-2 text-sm text-slate-700">
            {t('filteredBy', { reason: reasonText(filter.reason) })}{' '}
            <Link href={query({ status: filter.status })} className="text-brand-800 underline">
              {t('clearReason')}
            </Link>
          </p>
        )}
        <Table caption={t('recipientsTitle')}>
          <thead>
            <tr>
              <Th>#</Th>
              <Th>{t('columns.customer')}</Th>
              <Th>{t('columns.phone')}</Th>
              <Th>{t('columns.status')}</Th>
              <Th>{t('columns.detail')}</Th>
              <Th>{t('columns.sentAt')}</Th>
              <Th>{t('columns.deliveredAt')}</Th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.position} data-testid="recipient-row">
                <Td className="tabular-nums">{r.position}</Td>
                <Td>
                  <Link href={`/customers/${r.customerId}`} className="text-brand-800 hover:underline">
                    {r.name ?? `#${r.customerId}`}
                  </Link>
                  {r.market && <span className="ml-1 text-xs text-slate-500">{r.market}</span>}
                </Td>
                <Td className="tabular-nums">{r.phone}</Td>
                <Td>{r.status ? t(`recipientStatuses.${r.status}`) : '—'}</Td>
                <Td className="text-xs">
                  {[r.reason ? reasonText(r.reason) : null, r.errorCode ? `${r.errorCode} ${r.errorTitle ?? ''}` : null]
                    .filter(Boolean)
                    .join(' · ') || '—'}
                  {r.status === 'queued' && r.attempts > 0 && ` ${t('retryAt', { date: when(r.nextAttemptAt) })}`}
                </Td>
                <Td className="text-xs tabular-nums">{when(r.sentAt)}</Td>
                <Td className="text-xs tabular-nums">{when(r.readAt ?? r.deliveredAt)}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
        {shown.length === 0 && <p className="mt-2 text-sm text-slate-600">{t('noRecipients')}</p>}
        {more && (
          <p className="mt-3">
            <Link
              href={query({ status: filter.status, reason: filter.reason, after: shown.at(-1)!.position })}
              className={buttonClass('secondary')}
            >
              {t('next')}
            </Link>
          </p>
        )}
      </section>
    </>
  );
}
