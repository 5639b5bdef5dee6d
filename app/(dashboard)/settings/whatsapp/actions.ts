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

/** The WhatsApp connection (ids, address, version, token): admins only; the token is sealed before it is stored. */
export async function saveWhatsAppConnectionAction(_prev: ConnectionActionState, formData: FormData): Promise<ConnectionActionState> {
  const admin = await requireRole('admin');
  const t = await getTranslations('whatsappConnection');
  const parsed = connectionInputSchema.safeParse({
    phoneNumberId: formData.get('phoneNumberId') ?? '',
    businessAccountId: formData.get('businessAccountId') ?? '',
    baseUrl: formData.get('baseUrl') ?? '',
    apiVersion: formData.get('apiVersion') ?? '',
    accessToken: formData.get('accessToken') ?? '',
  });
  if (!parsed.success) {
    return {
      ok: false,
      message: t('fix'),
      fieldErrors: fieldErrorsOf(parsed.error, codeText(await getTranslations('whatsappConnection.errors'))),
    };
  }
  return guarded('saving the WhatsApp connection', async () => {
    const db = await getDb();
    const result = await db.transaction((tx) => saveConnection(tx, parsed.data, admin.id));
    if (!result.ok) return { ok: false, message: t('fix'), fieldErrors: { accessToken: t('errors.token_required') } };
    revalidatePath('/settings/whatsapp');
    return { ok: true, message: result.tokenReplaced ? t('savedToken') : t('saved') };
  });
}

/** Asks Meta for the saved number and account with the saved token, and says which setting is wrong. */
export async function checkWhatsAppConnectionAction(_prev: ConnectionActionState, _formData: FormData): Promise<ConnectionActionState> {
  await requireRole('admin');
  const t = await getTranslations('whatsappConnection');
  return guarded('checking the WhatsApp connection', async () => {
    const state = await graphConfigState(await getDb());
    if (!state.ok) return { ok: false, message: t(`check_${state.problem}`) };
    const result = await checkConnection(state.config);
    if (result.ok) {
      return {
        ok: true,
        message: t('check_ok', {
          phone: result.displayPhoneNumber ?? state.config.phoneNumberId,
          name: result.verifiedName ?? t('unknown'),
          quality: result.qualityRating ?? t('unknown'),
          account: result.businessName ?? state.config.businessAccountId,
        }),
      };
    }
    return {
      ok: false,
      message: t(`check_${result.problem}`, {
        code: String(result.code ?? result.httpStatus),
        title: result.title,
        detail: result.detail ?? result.title,
        baseUrl: state.config.baseUrl,
        status: String(result.httpStatus),
      }),
    };
  });
}
