import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import { SendCampaignForm } from '@/components/campaigns/campaign-forms';
import { AudienceTable } from '@/components/messages/audience-table';
import { ChatPreview } from '@/components/messages/chat-preview';
import { DraftEditor } from '@/components/messages/draft-editor';
import { DraftStatusBadge } from '@/components/messages/status-badge';
import { ReviewDraftForms, SubmitDraftForm } from '@/components/messages/workflow-forms';
import { MetaTemplatePanel } from '@/components/whatsapp/meta-template';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { buttonClass } from '@/components/ui/button';
import { Card, PageHeader } from '@/components/ui/card';
import { getDb } from '@/db';
import { requireSection } from '@/lib/auth/session';
import { coverageFilterOptions } from '@/lib/coverage/queries';
import { audienceCounts } from '@/lib/messages/audience';
import { parseDraftId } from '@/lib/messages/input';
import { audienceOf, draftCampaigns, draftHistory, getDraft, reviewOf, templateOf } from '@/lib/messages/store';
import { STEP_ROLES, availableSteps } from '@/lib/messages/workflow';
import { readSetting } from '@/lib/settings/app-settings';

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  return { title: `${(await getTranslations('nav'))('messages')} #${(await params).id}` };
}

export default async function DraftPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireSection('messages');
  const id = parseDraftId((await params).id);
  const db = await getDb();
  const draft = id === null ? null : await getDraft(db, id);
  if (!draft) notFound();
  const audience = audienceOf(draft);
  const review = reviewOf(draft);
  const steps = availableSteps({ draft, user, checksPass: review.issues.length === 0 });
  const [t, format, counts, history, campaigns, options] = await Promise.all([
    getTranslations('messages'),
    getFormatter(),
    audienceCounts(db, draft.category, audience, new Date()),
    draftHistory(db, draft.id),
    draftCampaigns(db, draft.id),
    coverageFilterOptions(db),
  ]);
  const [tl, tw] = await Promise.all([getTranslations('limits'), getTranslations('whatsappConnection')]);
  const historyText = (action: string) => {
    const key = action.replace('message_draft.', '');
    return tw.has(`history.${key}`) ? tw(`history.${key}`) : t(`history.${key}`);
  };
  const tc = await getTranslations('campaigns');
  const sending = await readSetting(db, 'campaign_sending');
  const mayExport = STEP_ROLES.export.includes(user.role);
  const kindLabel = (kind: string) => t(`promoKinds.${kind}`);
  const issueText = (code: string, params?: Record<string, string | number>) =>
    t.has(`issues.${code}`) ? t(`issues.${code}`, params ?? {}) : code;
  return (
    <>
      <PageHeader
        title={draft.name}
        description={t('byline', { author: draft.authorName, date: format.dateTime(draft.updatedAt, 'short') })}
        actions={
          <div className="flex flex-wrap items-center gap-2">
            <Badge tone={draft.category === 'marketing' ? 'info' : 'neutral'}>{t(`categories.${draft.category}`)}</Badge>
            <DraftStatusBadge status={draft.status} />
            <a href={`/messages/${draft.id}/template.json`} className={buttonClass('secondary')} download>
              {t('downloadTemplate')}
            </a>
          </div>
        }
      />
      {draft.status === 'rejected' && draft.reviewComment && (
        <Alert tone="error" className="mb-4">
          {t('rejectedBy', { name: draft.reviewerName ?? '—', comment: draft.reviewComment })}
        </Alert>
      )}

      <section aria-labelledby="workflow-title" className="mb-6 space-y-3 rounded-lg bg-white p-5 shadow-xs ring-1 ring-slate-200">
        <h2 id="workflow-title" className="text-base font-semibold text-slate-900">
          {t('workflowTitle')}
        </h2>
        <p className="text-sm text-slate-700">{t(`statusText.${draft.status}`)}</p>
        {steps.includes('submit') && <SubmitDraftForm draftId={draft.id} />}
        {(steps.includes('approve') || steps.includes('reject')) && <ReviewDraftForms draftId={draft.id} />}
        {draft.status === 'submitted' &&
          draft.category === 'marketing' &&
          draft.authorId === user.id &&
          (user.role === 'admin' || user.role === 'manager') && <p className="text-sm text-slate-600">{t('refusals.own_draft')}</p>}
        {steps.includes('export') && (
          <form method="post" action={`/messages/${draft.id}/export`} className="flex flex-wrap items-center gap-3">
            <button type="submit" className={buttonClass('primary')}>
              {t('exportButton', { count: counts.allowed, formatted: format.number(counts.allowed) })}
            </button>
            <span className="text-xs text-slate-600">{t('exportHint')}</span>
          </form>
        )}
        {steps.includes('export') && <SendCampaignForm draftId={draft.id} defaultRate={sending.ratePerSecond} />}
        {campaigns.length > 0 && (
          <ul className="text-sm text-slate-700" data-testid="campaigns">
            {campaigns.map((c) =>
              c.kind === 'send' ? (
                <li key={c.id}>
                  <Link href={`/messages/campaigns/${c.id}`} className="text-brand-800 underline">
                    {tc('campaignLine', {
                      id: c.id,
                      status: tc(`statuses.${c.status}`),
                      count: format.number(c.recipientCount),
                      date: format.dateTime(c.exportedAt, 'short'),
                    })}
                  </Link>
                </li>
              ) : (
                <li key={c.id} className="flex flex-wrap items-center gap-x-3">
                  {t('campaignLine', {
                    id: c.id,
                    date: format.dateTime(c.exportedAt, 'short'),
                    count: c.recipientCount,
                    formatted: format.number(c.recipientCount),
                    name: c.exportedBy,
                  })}
                  {mayExport && (
                    <a href={`/messages/${draft.id}/export?campaign=${c.id}`} className="text-sm text-brand-800 underline" download>
                      {tl('downloadAgain', { id: c.id })}
                    </a>
                  )}
                </li>
              ),
            )}
          </ul>
        )}
        {campaigns.length > 0 && mayExport && <p className="text-xs text-slate-600">{tl('downloadAgainHint')}</p>}
        <MetaTemplatePanel
          draft={draft}
          canAct={user.role === 'admin' || user.role === 'seller'}
          submittable={(draft.status === 'approved' || draft.status === 'exported') && review.issues.length === 0}
        />
      </section>

      <section aria-labelledby="audience-title" className="mb-6 space-y-3">
        <h2 id="audience-title" className="text-base font-semibold text-slate-900">
          {t('audienceCountsTitle', { markets: audience.markets.length ? audience.markets.join(', ') : t('allMarkets') })}
        </h2>
        <p className="text-sm text-slate-600">{t('audienceCountsText', { purpose: t(`categories.${draft.category}`) })}</p>
        <AudienceTable counts={counts} purpose={draft.category} audience={audience} />
      </section>

      {steps.includes('edit') ? (
        <DraftEditor
          options={options}
          initial={{
            id: draft.id,
            name: draft.name,
            category: draft.category,
            language: draft.language,
            header: draft.header ?? '',
            headerExample: draft.headerExample ?? '',
            body: draft.body,
            footer: draft.footer ?? '',
            sender: draft.sender ?? '',
            buttons: draft.buttons,
            examples: draft.examples,
            variableFields: draft.variableFields,
            audience,
          }}
        />
      ) : (
        <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
          <Card>
            <h2 className="mb-2 text-base font-semibold">{t('checksTitle')}</h2>
            {review.issues.length === 0 ? (
              <p className="text-sm text-emerald-700">{t('checksPass')}</p>
            ) : (
              <ul className="list-disc space-y-1 pl-5 text-sm text-amber-900">
                {review.issues.map((i, n) => (
                  <li key={n}>{issueText(i.code, i.params)}</li>
                ))}
              </ul>
            )}
          </Card>
          <ChatPreview draft={templateOf(draft)} promotional={review.promotional} title={t('preview')} kindLabel={kindLabel} />
        </div>
      )}

      <section aria-labelledby="history-title" className="mt-6">
        <h2 id="history-title" className="mb-2 text-base font-semibold text-slate-900">
          {t('historyTitle')}
        </h2>
        <ol className="space-y-1 text-sm text-slate-700">
          {history.map((h, n) => (
            <li key={n}>
              <span className="tabular-nums text-slate-500">{format.dateTime(h.at, 'short')}</span> · {historyText(h.action)} ·{' '}
              {h.actorName ?? '—'}
            </li>
          ))}
        </ol>
        <p className="mt-4">
          <Link href="/messages" className="text-sm text-brand-800 hover:underline">
            {t('backToList')}
          </Link>
        </p>
      </section>
    </>
  );
}
