import { getFormatter, getTranslations } from 'next-intl/server';
import type { TimelineEvent } from '@/lib/customers/detail';

const EVIDENCE_KEYS = [
  'wording',
  'formVersion',
  'proofReference',
  'messageId',
  'reason',
  'ip',
  'userAgent',
  'importBatchId',
  'importRow',
  'complaintId',
  'doubleOptIn',
] as const;
type EvidenceKey = (typeof EVIDENCE_KEYS)[number] | 'customerText';
const SHOWN: readonly EvidenceKey[] = [...EVIDENCE_KEYS.slice(0, 5), 'customerText', ...EVIDENCE_KEYS.slice(5)];

/** The customer's ledger, oldest first, with every piece of evidence and who recorded it. */
export async function ConsentTimeline({ events }: { events: TimelineEvent[] }) {
  const [t, privacy, enums, format, via] = await Promise.all([
    getTranslations('customer'),
    getTranslations('privacy'),
    getTranslations('enums'),
    getFormatter(),
    getTranslations('contactPoints.evidence'),
  ]);
  if (events.length === 0) return <p className="text-sm text-slate-600">{t('noEvents')}</p>;
  return (
    <ol className="space-y-3" data-testid="consent-timeline">
      {events.map((e) => (
        <li key={e.id} className="rounded-md border border-slate-200 p-3 text-sm">
          <p className="font-medium text-slate-900">
            {format.dateTime(e.occurredAt, 'long')} · {t(`kinds.${e.kind}`)} · {enums(`channel.${e.channel}`)} ·{' '}
            {enums(`purpose.${e.purpose}`)}
          </p>
          <p className="text-xs text-slate-600">
            {t('sourceLine', { source: e.source, recordedAt: format.dateTime(e.recordedAt, 'long'), by: e.recordedBy ?? t('system') })}
          </p>
          <dl className="mt-1 grid gap-x-4 text-xs text-slate-700 sm:grid-cols-[max-content_1fr]">
            {SHOWN.filter((k) => e.evidence[k] !== undefined && e.evidence[k] !== null && e.evidence[k] !== '').map((k) => (
              <div key={k} className="contents">
                <dt className="font-medium">{k === 'customerText' ? privacy('customerText') : t(`evidence.${k}`)}</dt>
                <dd className="break-words">{String(e.evidence[k])}</dd>
              </div>
            ))}
            {e.evidence.contactPoint ? (
              <div className="contents">
                <dt className="font-medium">{via('label')}</dt>
                <dd>{via(e.evidence.contactPoint)}</dd>
              </div>
            ) : null}
          </dl>
        </li>
      ))}
    </ol>
  );
}
