'use server';

import { revalidatePath } from 'next/cache';
import { getTranslations } from 'next-intl/server';
import { getDb } from '@/db';
import type { ActionResult } from '@/lib/actions/result';
import { guarded } from '@/lib/actions/result';
import { requireRole } from '@/lib/auth/session';
import type { SendingField } from '@/lib/campaigns/sending-settings';
import { parseSendingForm } from '@/lib/campaigns/sending-settings';
import { writeSetting } from '@/lib/settings/app-settings';

export type SendingSettingsState = ActionResult<{ message: string }, object, SendingField> | null;

/** Rate, frequency cap and quiet hours of campaign sending: admins only, audited by writeSetting. */
export async function updateCampaignSendingAction(_prev: SendingSettingsState, formData: FormData): Promise<SendingSettingsState> {
  const admin = await requireRole('admin');
  const t = await getTranslations('campaigns.settings');
  const parsed = parseSendingForm(Object.fromEntries(formData));
  if (!parsed.ok) {
    const text: Record<SendingField, string> = {
      ratePerSecond: t('errors.rate'),
      frequencyCap: t('errors.cap'),
      quietStart: t('errors.clock'),
      quietEnd: t('errors.clock'),
      markets: t('errors.markets', { lines: parsed.badLines.join(', ') }),
    };
    return { ok: false, message: t('invalid'), fieldErrors: Object.fromEntries(parsed.fields.map((f) => [f, text[f]])) };
  }
  return guarded('saving campaign sending settings', async () => {
    const db = await getDb();
    await db.transaction((tx) => writeSetting(tx, 'campaign_sending', parsed.value, admin.id));
    revalidatePath('/settings/whatsapp');
    return { ok: true, message: t('saved') };
  });
}
