import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { MailStatus } from '@/components/opt-in/mail-status';
import { Alert } from '@/components/ui/alert';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { getDb } from '@/db';
import { requireRole } from '@/lib/auth/session';
import { listForms } from '@/lib/opt-in/forms';
import { PUBLIC_LOCALE_NAMES, isPublicLocale } from '@/lib/public/locale';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('optIn'))('tab') };
}

export default async function OptInFormsPage() {
  await requireRole('admin');
  const [t, forms] = await Promise.all([getTranslations('optIn'), listForms(await getDb())]);
  return (
    <div className="space-y-6">
      <Card>
        <div className="mb-4 flex flex-wrap items-start justify-between gap-3">
          <div className="max-w-3xl">
            <h2 className="mb-1 text-base font-semibold text-slate-900">{t('title')}</h2>
            <p className="text-sm text-slate-600">{t('intro')}</p>
          </div>
          <Link href="/settings/forms/new" className={buttonClass('primary')}>
            {t('newForm')}
          </Link>
        </div>
        <MailStatus />
        {forms.length === 0 ? (
          <Alert className="mt-4">{t('none')}</Alert>
        ) : (
          <div className="mt-4">
            <Table caption={t('title')}>
              <thead>
                <tr>
                  <Th>{t('colSlug')}</Th>
                  <Th>{t('colShop')}</Th>
                  <Th>{t('colLanguage')}</Th>
                  <Th>{t('colMarket')}</Th>
                  <Th>{t('colBoxes')}</Th>
                  <Th>{t('colVersion')}</Th>
                  <Th>{t('colActive')}</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {forms.map(({ form, version }) => (
                  <tr key={form.id}>
                    <Td className="font-medium">
                      <Link href={`/settings/forms/${form.id}`} className="text-brand-800 hover:underline">
                        /f/{form.slug}
                      </Link>
                    </Td>
                    <Td>{version.shopName}</Td>
                    <Td>{isPublicLocale(version.language) ? PUBLIC_LOCALE_NAMES[version.language] : version.language}</Td>
                    <Td>{form.market}</Td>
                    <Td className="tabular-nums">{version.boxes.length}</Td>
                    <Td className="tabular-nums">{version.version}</Td>
                    <Td>{form.active ? t('yes') : t('no')}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </div>
        )}
      </Card>
    </div>
  );
}
