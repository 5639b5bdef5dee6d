import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { AlertThresholdsForm, StopScopeForm } from '@/components/monitor/settings-forms';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db';
import { requireRole } from '@/lib/auth/session';
import { readSetting } from '@/lib/settings/app-settings';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('settings'))('alerts') };
}

export default async function AlertSettingsPage() {
  await requireRole('admin');
  const db = await getDb();
  const [t, thresholds, scope] = await Promise.all([
    getTranslations('alertSettings'),
    readSetting(db, 'alert_thresholds'),
    readSetting(db, 'whatsapp_stop_scope'),
  ]);
  return (
    <div className="space-y-6">
      <Card>
        <h2 className="mb-1 text-base font-semibold text-slate-900">{t('thresholdsTitle')}</h2>
        <p className="mb-4 text-sm text-slate-600">{t('thresholdsText')}</p>
        <AlertThresholdsForm value={thresholds} />
      </Card>
      <Card>
        <h2 className="mb-1 text-base font-semibold text-slate-900">{t('whatsappTitle')}</h2>
        <p className="mb-4 text-sm text-slate-600">{t('whatsappText')}</p>
        <StopScopeForm value={scope} />
      </Card>
    </div>
  );
}
