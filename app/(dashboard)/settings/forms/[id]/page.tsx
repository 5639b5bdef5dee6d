import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import { FormEditor } from '@/components/opt-in/form-editor';
import { MailStatus } from '@/components/opt-in/mail-status';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db';
import { linkBase } from '@/lib/preferences/links';
import { requireRole } from '@/lib/auth/session';
import { EU_MEMBER_STATES } from '@/lib/consent';
import { parseCustomerId } from '@/lib/customers/filter';
import { formById, formVersions } from '@/lib/opt-in/forms';
import { PUBLIC_LOCALES, PUBLIC_LOCALE_NAMES } from '@/lib/public/locale';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('optIn'))('tab') };
}

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ created?: string }> };

export default async function OptInFormPage({ params, searchParams }: Props) {
  await requireRole('admin');
  const id = parseCustomerId((await params).id);
  const db = await getDb();
  const found = id !== null && id <= 2_147_483_647 ? await formById(db, id) : null;
  if (!found) notFound();
  const { form, version } = found;
  const [t, linkProblem, enums, format, versions, created] = await Promise.all([
    getTranslations('optIn'),
    getTranslations('customerLinks'),
    getTranslations('enums'),
    getFormatter(),
    formVersions(db, form.id),
    searchParams.then((s) => s.created === '1'),
  ]);
  const links = linkBase(process.env, await headers());
  const url = links.ok ? `${links.base}/f/${form.slug}` : null;
  const snippet = `<iframe src="${url}" title="${version.shopName.replace(/"/g, '&quot;')}" style="width: 100%; max-width: 560px; height: 760px; border: 0;" loading="lazy"></iframe>`;
  return (
    <div className="space-y-6">
      {created && <Alert tone="success">{t('created')}</Alert>}
      <Card>
        <div className="mb-4 flex flex-wrap items-baseline justify-between gap-3">
          <h2 className="text-base font-semibold text-slate-900">
            /f/{form.slug} · {t('versionN', { version: version.version })}
          </h2>
          <a href={`/f/${form.slug}`} target="_blank" rel="noopener noreferrer" className="text-sm text-brand-800 underline">
            {t('open')}
          </a>
        </div>
        <FormEditor
          value={{
            id: form.id,
            slug: form.slug,
            shopName: version.shopName,
            privacyUrl: version.privacyUrl,
            language: version.language,
            market: form.market,
            alwaysDoubleOptIn: form.alwaysDoubleOptIn,
            active: form.active,
            allowedOrigins: form.allowedOrigins,
            boxes: version.boxes,
          }}
          languages={PUBLIC_LOCALES.map((code) => ({ code, name: PUBLIC_LOCALE_NAMES[code] }))}
          markets={[...EU_MEMBER_STATES].sort()}
        />
      </Card>
      <Card>
        <h2 className="mb-1 text-base font-semibold text-slate-900">{t('embedTitle')}</h2>
        <p className="mb-1 text-sm font-medium text-slate-700">{t('linkTitle')}</p>
        {url === null && !links.ok ? (
          <Alert tone="error">{linkProblem(links.reason)}</Alert>
        ) : (
          <pre className="mb-3 overflow-x-auto rounded-md bg-slate-50 p-3 text-xs text-slate-800 ring-1 ring-slate-200">{url}</pre>
        )}
        {url !== null && form.allowedOrigins.length > 0 ? (
          <>
            <p className="mb-2 text-sm text-slate-600">{t('embedText')}</p>
            <pre
              data-testid="embed-snippet"
              className="overflow-x-auto rounded-md bg-slate-50 p-3 text-xs text-slate-800 ring-1 ring-slate-200"
            >
              {snippet}
            </pre>
          </>
        ) : (
          <p className="text-sm text-slate-600">{t('embedNone')}</p>
        )}
        <div className="mt-4">
          <MailStatus />
        </div>
      </Card>
      <Card>
        <h2 className="mb-3 text-base font-semibold text-slate-900">{t('versions')}</h2>
        <ol className="space-y-4">
          {versions.map((v) => (
            <li key={v.id} className="text-sm">
              <p className="font-medium text-slate-900">
                {t('versionN', { version: v.version })} · {format.dateTime(v.createdAt, 'long')} · {v.shopName} ·{' '}
                {PUBLIC_LOCALE_NAMES[v.language as (typeof PUBLIC_LOCALES)[number]] ?? v.language}
              </p>
              <ul className="mt-1 list-disc space-y-1 pl-5 text-slate-700">
                {v.boxes.map((b) => (
                  <li key={`${b.channel}.${b.purpose}`}>
                    <span className="font-medium">
                      {enums(`channel.${b.channel}`)} - {enums(`purpose.${b.purpose}`)}:
                    </span>{' '}
                    {b.wording}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      </Card>
    </div>
  );
}
