'use server';

import { revalidatePath } from 'next/cache';
import { getTranslations } from 'next-intl/server';
import { z } from '@/lib/zod';
import { getDb } from '@/db';
import type { ActionResult } from '@/lib/actions/result';
import { fieldErrorsOf, guarded } from '@/lib/actions/result';
import { requireRole } from '@/lib/auth/session';
import { alertThresholdsSchema, stopScopeSchema, writeSetting } from '@/lib/settings/app-settings';

export type SettingsActionState = ActionResult | null;

const thresholdsForm = z.object({
  campaignOptOutRatePct: alertThresholdsSchema.shape.campaignOptOutRatePct,
  weeklyComplaints: alertThresholdsSchema.shape.weeklyComplaints,
  complaintsTrendFactor: alertThresholdsSchema.shape.complaintsTrendFactor,
  legalNotice: z.preprocess((v) => v === 'on' || v === 'true', z.boolean()),
});

async function save(run: () => Promise<void>): Promise<SettingsActionState> {
  const t = await getTranslations('alertSettings');
  return guarded('saving settings', async () => {
    await run();
    revalidatePath('/', 'layout');
    return { ok: true, message: t('saved') };
  });
}

/** Alert thresholds of the monitor: admins only. */
export async function updateAlertThresholdsAction(_prev: SettingsActionState, formData: FormData): Promise<SettingsActionState> {
  const admin = await requireRole('admin');
  const t = await getTranslations('alertSettings');
  const parsed = thresholdsForm.safeParse(Object.fromEntries(formData));
  if (!parsed.success) {
    // Every field here is a number with limits: one message fits each of them.
    return { ok: false, message: t('fix'), fieldErrors: fieldErrorsOf(parsed.error, () => t('invalidNumber')) };
  }
  return save(async () => {
    const db = await getDb();
    await db.transaction((tx) => writeSetting(tx, 'alert_thresholds', parsed.data, admin.id));
  });
}

/** What a WhatsApp STOP withdraws: admins only. */
export async function updateStopScopeAction(_prev: SettingsActionState, formData: FormData): Promise<SettingsActionState> {
  const admin = await requireRole('admin');
  const t = await getTranslations('alertSettings');
  const parsed = stopScopeSchema.safeParse(formData.get('stopScope'));
  if (!parsed.success) return { ok: false, message: t('fix'), fieldErrors: { stopScope: t('chooseScope') } };
  return save(async () => {
    const db = await getDb();
    await db.transaction((tx) => writeSetting(tx, 'whatsapp_stop_scope', parsed.data, admin.id));
  });
}
