import type { Metadata } from 'next';
import { getFormatter, getTranslations } from 'next-intl/server';
import { CampaignSendingForm } from '@/components/campaigns/sending-settings-form';
import { ConnectionForm } from '@/components/whatsapp/connection-form';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db';
import { requireRole } from '@/lib/auth/session';
import { marketsText } from '@/lib/campaigns/sending-settings';
import { readSetting } from '@/lib/settings/app-settings';
import { readConnection } from '@/lib/whatsapp/settings';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('whatsappConnection'))('tab') };
}

export default async function WhatsAppSettingsPage() {
  await requireRole('admin');
  const db = await getDb();
  const [t, tc, format, connection, sending] = await Promise.all([
    getTranslations('whatsappConnection'),
    getTranslations('campaigns.settings'),
    getFormatter(),
    readConnection(db),
    readSetting(db, 'campaign_sending'),
  ]);
  const { tokenEnd, tokenSavedAt, ...rest } = connection;
  const tokenSaved = tokenEnd && tokenSavedAt ? t('tokenSaved', { date: format.dateTime(tokenSavedAt, 'short'), end: tokenEnd }) : null;
  return (
    <div className="space-y-6">
      <Card>
        <h2 className="mb-1 text-base font-semibold text-slate-900">{t('title')}</h2>
        <p className="mb-4 text-sm text-slate-600">{t('intro')}</p>
        <ConnectionForm value={{ ...rest, tokenSaved }} />
      </Card>
      <Card>
        <h2 className="mb-1 text-base font-semibold text-slate-900">{tc('title')}</h2>
        <p className="mb-4 text-sm text-slate-600">{tc('intro')}</p>
        <CampaignSendingForm value={sending} markets={marketsText(sending.quietHoursByMarket)} />
      </Card>
    </div>
  );
}
