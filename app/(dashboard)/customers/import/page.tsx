import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { getDb } from '@/db';
import { ImportHistory } from '@/components/import/import-history';
import { UploadForm } from '@/components/import/upload-form';
import { buttonClass } from '@/components/ui/button';
import { Card, PageHeader } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { IMPORTERS } from '@/lib/auth/roles';
import { requireRole } from '@/lib/auth/session';
import { TEMPLATE_COLUMNS } from '@/lib/import/fields';
import { listImports } from '@/lib/import/batches';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('import'))('title') };
}

export default async function ImportPage() {
  await requireRole(...IMPORTERS);
  const [t, enums, format, batches] = await Promise.all([
    getTranslations('import'),
    getTranslations('enums'),
    getFormatter(),
    getDb().then((db) => listImports(db)),
  ]);
  const meaning = (target: string) => {
    const [channel, purpose, part] = target.split('.');
    if (!purpose) return t(`template.fields.${target}` as 'template.fields.email');
    if (part === 'date') return t('template.fields.consentDate');
    if (part === 'source') return t('template.fields.consentSource');
    return t('template.fields.consent', {
      channel: enums(`channel.${channel}` as 'channel.email'),
      purpose: enums(`purpose.${purpose}` as 'purpose.marketing').toLowerCase(),
    });
  };
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <h2 className="mb-4 text-base font-semibold text-slate-900">{t('upload.title')}</h2>
          <UploadForm />
        </Card>
        <Card>
          <h2 className="mb-2 text-base font-semibold text-slate-900">{t('template.title')}</h2>
          <p className="mb-4 text-sm text-slate-600">{t('template.intro')}</p>
          <Link href="/customers/import/template" className={buttonClass('secondary')} prefetch={false}>
            {t('template.download')}
          </Link>
          <details className="mt-4 text-sm">
            <summary className="cursor-pointer font-medium text-brand-800">
              {t('template.column')} / {t('template.meaning')}
            </summary>
            <div className="mt-3 max-h-80 overflow-y-auto">
              <Table caption={t('template.title')}>
                <thead>
                  <tr>
                    <Th>{t('template.column')}</Th>
                    <Th>{t('template.meaning')}</Th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {TEMPLATE_COLUMNS.map((c) => (
                    <tr key={c.header}>
                      <Td className="font-mono text-xs">{c.header}</Td>
                      <Td>{meaning(c.target)}</Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            </div>
          </details>
        </Card>
      </div>
      <section className="mt-8">
        <h2 className="mb-3 text-base font-semibold text-slate-900">{t('history.title')}</h2>
        <ImportHistory batches={batches} format={format} />
      </section>
    </>
  );
}
