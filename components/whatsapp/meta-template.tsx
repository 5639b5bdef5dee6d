import { getFormatter, getTranslations } from 'next-intl/server';
import type { BadgeTone } from '@/components/ui/badge';
import { Badge } from '@/components/ui/badge';
import type { MessageDraft } from '@/db/schema';
import { MetaTemplateForms } from './meta-template-forms';

const TONE: Record<string, BadgeTone> = {
  APPROVED: 'good',
  PENDING: 'warn',
  IN_APPEAL: 'warn',
  REJECTED: 'bad',
  PAUSED: 'bad',
  DISABLED: 'bad',
};

type MetaFields = Pick<MessageDraft, 'metaTemplateId' | 'metaStatus' | 'metaRejectedReason' | 'metaCheckedAt'>;

/** Meta's review status of a draft's template as a badge; "not at Meta" before a submission or after an edit. */
export async function MetaStatusBadge({ status }: { status: string | null }) {
  const t = await getTranslations('whatsappConnection');
  if (!status) return <Badge tone="neutral">{t('metaNoStatus')}</Badge>;
  return (
    <Badge tone={TONE[status] ?? 'neutral'}>
      {t.has(`metaStatus.${status}`) ? t(`metaStatus.${status}`) : t('metaStatus.other', { status })}
    </Badge>
  );
}

/** The draft page's part about Meta: status, reason, when checked, and the buttons the user may press. */
export async function MetaTemplatePanel({
  draft,
  canAct,
  submittable,
}: {
  draft: MetaFields & { id: number };
  canAct: boolean;
  submittable: boolean;
}) {
  const [t, format] = await Promise.all([getTranslations('whatsappConnection'), getFormatter()]);
  const changed = draft.metaTemplateId !== null && draft.metaStatus === null;
  const inReview =
    draft.metaStatus !== null && draft.metaStatus !== 'REJECTED' && draft.metaStatus !== 'DISABLED' && draft.metaStatus !== 'DELETED';
  return (
    <section aria-labelledby="meta-title" className="space-y-2 border-t border-slate-200 pt-3" data-testid="meta-template">
      <div className="flex flex-wrap items-center gap-2">
        <h3 id="meta-title" className="text-sm font-semibold text-slate-900">
          {t('metaTitle')}
        </h3>
        <MetaStatusBadge status={draft.metaStatus} />
      </div>
      {draft.metaStatus === null && <p className="text-sm text-slate-700">{changed ? t('metaChanged') : t('metaNone')}</p>}
      {draft.metaRejectedReason && <p className="text-sm text-red-800">{t('metaReason', { reason: draft.metaRejectedReason })}</p>}
      {(draft.metaTemplateId || draft.metaCheckedAt) && (
        <p className="text-xs text-slate-600">
          {[
            draft.metaTemplateId ? t('metaTemplateId', { id: draft.metaTemplateId }) : null,
            draft.metaCheckedAt ? t('metaChecked', { date: format.dateTime(draft.metaCheckedAt, 'short') }) : null,
          ]
            .filter(Boolean)
            .join(' · ')}
        </p>
      )}
      {canAct && (
        <MetaTemplateForms
          draftId={draft.id}
          submit={submittable && !inReview ? (draft.metaTemplateId ? 'resubmit' : 'submit') : null}
          refresh={draft.metaStatus !== null}
        />
      )}
    </section>
  );
}
