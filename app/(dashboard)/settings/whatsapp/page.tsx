import type { Metadata } from 'next';
import { getFormatter, getTranslations } from 'next-intl/server';
import { ConnectionForm } from '@/components/whatsapp/connection-form';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db';
import { requireRole } from '@/lib/auth/session';
import { readConnection } from '@/lib/whatsapp/settings';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('whatsappConnection'))('tab') };
}

export default async function WhatsAppSettingsPage() {
  await requireRole('admin');
  const [t, format, connection] = await Promise.all([getTranslations('whatsappConnection'), getFormatter(), readConnection(await getDb())]);
  const { tokenEnd, tokenSavedAt, ...rest } = connection;
  const tokenSaved = tokenEnd && tokenSavedAt ? t('tokenSaved', { date: format.dateTime(tokenSavedAt, 'short'), end: tokenEnd }) : null;
  return (
    <div className="space-y-6">
      <Card>
        <h2 className="mb-1 text-base font-semibold text-slate-900">{t('title')}</h2>
        <p className="mb-4 text-sm text-slate-600">{t('intro')}</p>
        <ConnectionForm value={{ ...rest, tokenSaved }} />
      </Card>
    </div>
  );
}
