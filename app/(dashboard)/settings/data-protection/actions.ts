'use server';

import { revalidatePath } from 'next/cache';
import { getTranslations } from 'next-intl/server';
import { getDb } from '@/db';
import type { ActionResult } from '@/lib/actions/result';
import { fieldErrorsOf, guarded } from '@/lib/actions/result';
import { describeReport, recordVerification, verifyChain } from '@/lib/audit/chain';
import { requireRole } from '@/lib/auth/session';
import { enqueue } from '@/lib/jobs/queue';
import { retentionJob } from '@/lib/jobs/retention';
import { requestLogger } from '@/lib/log';
import { retentionSettingsSchema } from '@/lib/retention/settings';
import { writeSetting } from '@/lib/settings/app-settings';

export type DataProtectionState = ActionResult | null;

const PATH = '/settings/data-protection';

/** The buttons send `confirm=yes`: a post without it (a stray or forged request) does nothing. */
function confirmed(formData: FormData): boolean {
  return formData.get('confirm') === 'yes';
}

/** How long each kind of data is kept: admins only; the change is audited with before and after. */
export async function updateRetentionAction(_prev: DataProtectionState, formData: FormData): Promise<DataProtectionState> {
  const admin = await requireRole('admin');
  const t = await getTranslations('dataProtection');
  const parsed = retentionSettingsSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, message: t('fix'), fieldErrors: fieldErrorsOf(parsed.error, () => t('outOfRange')) };
  return guarded('saving retention settings', async () => {
    const db = await getDb();
    await db.transaction((tx) => writeSetting(tx, 'retention', parsed.data, admin.id));
    revalidatePath(PATH);
    return { ok: true, message: t('saved') };
  });
}

/** Queues a retention run now; a run already waiting is the same run. */
export async function runRetentionNowAction(_prev: DataProtectionState, formData: FormData): Promise<DataProtectionState> {
  const admin = await requireRole('admin');
  const t = await getTranslations('dataProtection');
  if (!confirmed(formData)) return { ok: false, message: t('notConfirmed') };
  return guarded('queueing a retention run', async () => {
    const db = await getDb();
    const queued = await db.transaction((tx) => enqueue(retentionJob, { startedBy: admin.id }, tx));
    revalidatePath(PATH);
    return queued ? { ok: true, message: t('runQueued') } : { ok: false, message: t('runWaiting') };
  });
}

/** Walks the audit chain now and records what it found. */
export async function verifyAuditChainAction(_prev: DataProtectionState, formData: FormData): Promise<DataProtectionState> {
  const admin = await requireRole('admin');
  const t = await getTranslations('dataProtection');
  if (!confirmed(formData)) return { ok: false, message: t('notConfirmed') };
  return guarded('verifying the audit chain', async () => {
    const db = await getDb();
    const report = await verifyChain(db);
    await recordVerification(db, report, admin.id, 'page');
    if (!report.ok) (await requestLogger()).error({ broken: report.broken }, describeReport(report));
    revalidatePath(PATH);
    return report.ok
      ? { ok: true, message: t('chainIntact', { upTo: report.lastSeq }) }
      : { ok: false, message: t('chainBroken', { seq: report.broken.seq, upTo: report.verifiedUpTo }) };
  });
}
