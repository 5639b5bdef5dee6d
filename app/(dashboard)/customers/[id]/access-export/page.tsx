import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { PrintButton } from '@/components/customers/print-button';
import { AccessExportDocument } from '@/components/privacy/access-export-document';
import { Alert } from '@/components/ui/alert';
import { getDb } from '@/db';
import { requireRole } from '@/lib/auth/session';
import { parseCustomerId } from '@/lib/customers/filter';
import { userTimeZone } from '@/lib/i18n/user-time-zone';
import { accessExport, auditAccessExport, customerLocale } from '@/lib/privacy/access-export';
import { publicTranslator } from '@/lib/public/i18n';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('privacy'))('access.title') };
}

/** The access export as a page in the customer's language, for support to print or save as PDF and hand over; audited. */
export default async function AccessExportPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireRole('admin', 'seller', 'support');
  const id = parseCustomerId((await params).id);
  const db = await getDb();
  const result = id === null ? ({ ok: false, code: 'not_found' } as const) : await accessExport(db, id);
  if (!result.ok && result.code === 'not_found') notFound();
  const t = await getTranslations('privacy');
  if (!result.ok) return <Alert tone="warning">{t('access.erased')}</Alert>;
  await auditAccessExport(db, user.id, result.data.customer.id, 'page');
  const locale = customerLocale(result.data.customer);
  return (
    <div className="mx-auto max-w-4xl">
      <div className="mb-4 flex justify-end print:hidden">
        <PrintButton label={(await publicTranslator(locale, 'accessExport'))('print')} />
      </div>
      <AccessExportDocument data={result.data} locale={locale} timeZone={await userTimeZone()} />
    </div>
  );
}
