'use server';

import { revalidatePath } from 'next/cache';
import { headers } from 'next/headers';
import { getTranslations } from 'next-intl/server';
import { getDb } from '@/db';
import type { ActionResult } from '@/lib/actions/result';
import { guarded } from '@/lib/actions/result';
import { requireRole } from '@/lib/auth/session';
import { parseCustomerFilter } from '@/lib/customers/filter';
import { confirmationMailsJob } from '@/lib/jobs/confirmation-mails';
import { enqueue } from '@/lib/jobs/queue';
import { mailSettings } from '@/lib/mail/send';
import { createRun, runInProgress } from '@/lib/opt-in/bulk';
import { linkBase } from '@/lib/preferences/links';
import { z } from '@/lib/zod';

export type SendConfirmationsState = ActionResult | null;

const shopSchema = z.string().trim().min(1).max(120);

/** Starts sending confirmation mails to the pending customers of a filtered list, as a background job: sellers and admins. */
export async function sendConfirmationsAction(_prev: SendConfirmationsState, formData: FormData): Promise<SendConfirmationsState> {
  const user = await requireRole('admin', 'seller');
  const t = await getTranslations('optIn');
  const shop = shopSchema.safeParse(formData.get('shopName'));
  if (!shop.success) return { ok: false, message: t('fix'), fieldErrors: { shopName: t('errors.required') } };
  const query = new URLSearchParams(String(formData.get('filter') ?? ''));
  const filter = parseCustomerFilter(Object.fromEntries([...query.keys()].map((k) => [k, query.getAll(k)])));
  if (!mailSettings()) return { ok: false, message: t('confirmNoMail') };
  const links = linkBase(process.env, await headers());
  if (!links.ok) return { ok: false, message: (await getTranslations('customerLinks'))(links.reason) };
  const baseUrl = links.base;
  return guarded('starting confirmation mails', async () => {
    const db = await getDb();
    const started = await db.transaction(async (tx) => {
      if (await runInProgress(tx)) return false;
      const run = await createRun(tx, { filter, shopName: shop.data, baseUrl, actorId: user.id });
      await enqueue(confirmationMailsJob, { runId: run.id }, tx);
      return true;
    });
    if (!started) return { ok: false, message: t('confirmBusy') };
    revalidatePath('/customers/confirmations');
    return { ok: true, message: t('confirmQueued') };
  });
}
