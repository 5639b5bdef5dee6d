'use server';

import { revalidatePath } from 'next/cache';
import { getTranslations } from 'next-intl/server';
import { getDb } from '@/db';
import type { ActionResult } from '@/lib/actions/result';
import { codeText, fieldErrorsOf, guarded } from '@/lib/actions/result';
import { requireRole } from '@/lib/auth/session';
import { checkConnection } from '@/lib/whatsapp/graph';
import { connectionInputSchema, graphConfigState, saveConnection } from '@/lib/whatsapp/settings';

export type ConnectionActionState = ActionResult | null;

async function parseForm(formData: FormData) {
  return connectionInputSchema.safeParse({
    phoneNumberId: formData.get('phoneNumberId') ?? '',
    businessAccountId: formData.get('businessAccountId') ?? '',
    baseUrl: formData.get('baseUrl') ?? '',
    apiVersion: formData.get('apiVersion') ?? '',
    accessToken: formData.get('accessToken') ?? '',
  });
}

async function invalid(error: Parameters<typeof fieldErrorsOf>[0]): Promise<ConnectionActionState> {
  const t = await getTranslations('whatsappConnection');
  return { ok: false, message: t('fix'), fieldErrors: fieldErrorsOf(error, codeText(await getTranslations('whatsappConnection.errors'))) };
}

/** The WhatsApp connection (ids, address, version, token): admins only; the token is sealed before it is stored. */
export async function saveWhatsAppConnectionAction(_prev: ConnectionActionState, formData: FormData): Promise<ConnectionActionState> {
  const admin = await requireRole('admin');
  const t = await getTranslations('whatsappConnection');
  const parsed = await parseForm(formData);
  if (!parsed.success) return invalid(parsed.error);
  return guarded('saving the WhatsApp connection', async () => {
    const db = await getDb();
    const result = await db.transaction((tx) => saveConnection(tx, parsed.data, admin.id));
    if (!result.ok) return { ok: false, message: t('fix'), fieldErrors: { accessToken: t('errors.token_required') } };
    revalidatePath('/settings/whatsapp');
    return { ok: true, message: result.tokenReplaced ? t('savedToken') : t('saved') };
  });
}

/**
 * Asks Meta for the number and account in the form (saved or not) with the token typed, or else the saved one, and
 * says which setting is wrong. Changes nothing.
 */
export async function checkWhatsAppConnectionAction(_prev: ConnectionActionState, formData: FormData): Promise<ConnectionActionState> {
  await requireRole('admin');
  const t = await getTranslations('whatsappConnection');
  const parsed = await parseForm(formData);
  if (!parsed.success) return invalid(parsed.error);
  return guarded('checking the WhatsApp connection', async () => {
    const { accessToken: typed, ...fields } = parsed.data;
    let accessToken = typed;
    if (!accessToken) {
      const saved = await graphConfigState(await getDb());
      if (!saved.ok) return { ok: false, message: t(`check_${saved.problem}`) };
      accessToken = saved.config.accessToken;
    }
    const config = { ...fields, accessToken };
    const result = await checkConnection(config);
    if (result.ok) {
      return {
        ok: true,
        message: t('check_ok', {
          phone: result.displayPhoneNumber ?? config.phoneNumberId,
          name: result.verifiedName ?? t('unknown'),
          quality: result.qualityRating ?? t('unknown'),
          account: result.businessName ?? config.businessAccountId,
        }),
      };
    }
    return {
      ok: false,
      message: t(`check_${result.problem}`, {
        code: String(result.code ?? result.httpStatus),
        title: result.title,
        detail: result.detail ?? result.title,
        baseUrl: config.baseUrl,
        status: String(result.httpStatus),
      }),
    };
  });
}
