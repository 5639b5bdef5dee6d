import type { ReactNode } from 'react';
import type { PublicLocale } from '@/lib/public/locale';
import { publicTranslator } from '@/lib/public/i18n';
import type { AccessExport } from '@/lib/privacy/access-export';

const EVIDENCE_KEYS = [
  'wording',
  'formVersion',
  'proofReference',
  'messageId',
  'reason',
  'customerText',
  'ip',
  'userAgent',
  'importBatchId',
  'importRow',
  'complaintId',
  'doubleOptIn',
  'contactPoint',
] as const;

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="break-inside-avoid-page">
      <h2 id={id} className="mb-2 text-lg font-semibold text-slate-900">
        {title}
      </h2>
      {children}
    </section>
  );
}

function Table({ head, rows, empty }: { head: string[]; rows: ReactNode[][]; empty: string }) {
  if (rows.length === 0) return <p className="text-sm text-slate-600">{empty}</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-300 text-slate-700">
          <tr>
            {head.map((h) => (
              <th key={h} scope="col" className="py-1 pr-3 font-medium">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200 align-top">
          {rows.map((cells, i) => (
            <tr key={i}>
              {cells.map((c, j) => (
                <td key={j} className="py-1 pr-3 wrap-anywhere">
                  {c}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Everything held about one customer, written for them in their language (the access export's printable form). */
export async function AccessExportDocument({ data, locale, timeZone }: { data: AccessExport; locale: PublicLocale; timeZone: string }) {
  const t = await publicTranslator(locale, 'accessExport', timeZone);
  const when = (d: Date | string | null) =>
    d === null
      ? '—'
      : new Intl.DateTimeFormat(locale, {
          year: 'numeric',
          month: 'long',
          day: 'numeric',
          hour: '2-digit',
          minute: '2-digit',
          timeZone,
          timeZoneName: 'short',
        }).format(new Date(d));
  const day = (d: Date | string | null) =>
    d === null ? '—' : new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone }).format(new Date(d));
  const c = data.customer;
  const contact: Array<[string, string | null]> = [
    [t('fields.customerNumber'), c.externalId ?? String(c.id)],
    [t('fields.name'), [c.firstName, c.lastName].filter(Boolean).join(' ') || null],
    [t('fields.email'), c.email],
    [t('fields.phone'), c.phone],
    [t('fields.market'), c.market],
    [t('fields.language'), c.language],
    [t('fields.source'), c.source],
    [t('fields.addedAt'), day(c.createdAt)],
    [t('fields.lastOrderAt'), c.lastOrderAt ? day(c.lastOrderAt) : null],
    [t('fields.objectionNoticeAt'), c.objectionNoticeAt ? day(c.objectionNoticeAt) : null],
  ];
  const evidence = (e: AccessExport['consentHistory'][number]['evidence']) => (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-3 text-xs">
      {EVIDENCE_KEYS.filter((k) => e[k] !== undefined && e[k] !== null && e[k] !== '').map((k) => (
        <div key={k} className="contents">
          <dt className="text-slate-600">{t(`evidenceKey.${k}`)}</dt>
          <dd className="wrap-anywhere">
            {k === 'doubleOptIn'
              ? t('yes')
              : k === 'contactPoint'
                ? t(`fields.${e.contactPoint === 'email' ? 'email' : 'phone'}`)
                : String(e[k])}
          </dd>
        </div>
      ))}
    </dl>
  );
  return (
    <article lang={locale} className="space-y-8 bg-white p-6 text-slate-900 print:p-0" data-testid="access-export">
      <header>
        <h1 className="text-2xl font-semibold">{t('title')}</h1>
        <p className="mt-2 text-sm text-slate-700">{t('intro', { company: t('company'), at: when(data.generatedAt) })}</p>
      </header>
      <Section id="ae-contact" title={t('sections.contact')}>
        <dl className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
          {contact.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="text-slate-600">{label}</dt>
              <dd className="wrap-anywhere">{value || '—'}</dd>
            </div>
          ))}
        </dl>
      </Section>
      <Section id="ae-consents" title={t('sections.consents')}>
        <Table
          empty={t('none')}
          head={[t('fields.channel'), t('fields.purpose'), t('fields.status'), t('fields.since')]}
          rows={data.consents.map((s) => [
            t(`channel.${s.channel}`),
            t(`purpose.${s.purpose}`),
            t(`status.${s.status}`),
            day(s.withdrawnAt ?? s.confirmedAt ?? s.grantedAt),
          ])}
        />
      </Section>
      <Section id="ae-history" title={t('sections.history')}>
        <Table
          empty={t('none')}
          head={[t('fields.when'), t('fields.what'), t('fields.source'), t('fields.evidence')]}
          rows={data.consentHistory.map((e) => [
            when(e.occurredAt),
            `${t(`eventKind.${e.kind}`)}: ${t(`channel.${e.channel}`)}, ${t(`purpose.${e.purpose}`)}`,
            e.source,
            evidence(e.evidence),
          ])}
        />
      </Section>
      <Section id="ae-complaints" title={t('sections.complaints')}>
        <Table
          empty={t('none')}
          head={[t('fields.when'), t('fields.kind'), t('fields.channel'), t('fields.description'), t('fields.status')]}
          rows={data.complaints.map((x) => [
            day(x.receivedAt),
            t(`complaintKind.${x.kind}`),
            t(`channel.${x.channel}`),
            [x.description, x.resolutionNote].filter(Boolean).join(' — '),
            t(`complaintStatus.${x.status}`),
          ])}
        />
      </Section>
      <Section id="ae-campaigns" title={t('sections.campaigns')}>
        <Table
          empty={t('none')}
          head={[t('fields.when'), t('fields.message'), t('fields.channel'), t('fields.sentTo')]}
          rows={data.campaigns.map((x) => [day(x.exportedAt), x.message, t('channel.whatsapp'), x.phone])}
        />
      </Section>
      <Section id="ae-replies" title={t('sections.replies')}>
        <Table
          empty={t('none')}
          head={[t('fields.when'), t('fields.text'), t('fields.status')]}
          rows={data.whatsappReplies.map((r) => [when(r.receivedAt), r.text, t(`replyStatus.${r.status}`)])}
        />
      </Section>
      <Section id="ae-suppressions" title={t('sections.suppressions')}>
        <p className="mb-2 text-xs text-slate-600">{t('suppressionsNote')}</p>
        <Table
          empty={t('none')}
          head={[t('fields.when'), t('fields.contactPoint'), t('fields.channel'), t('fields.purpose'), t('fields.reason')]}
          rows={data.suppressions.map((s) => [
            day(s.createdAt),
            t(`fields.${s.contactPoint}`),
            s.channel ? t(`channel.${s.channel}`) : t('allChannels'),
            s.purpose ? t(`purpose.${s.purpose}`) : t('allPurposes'),
            s.reason,
          ])}
        />
      </Section>
      <Section id="ae-imports" title={t('sections.imports')}>
        <Table
          empty={t('none')}
          head={[t('fields.file'), t('fields.importedAt')]}
          rows={data.imports.map((b) => [b.createdTheRecord ? `${b.fileName} (${t('createdRecord')})` : b.fileName, day(b.committedAt)])}
        />
      </Section>
      <p className="border-t border-slate-200 pt-4 text-sm text-slate-700">{t('rights')}</p>
    </article>
  );
}
