'use server';

import { revalidatePath } from 'next/cache';
import { getTranslations } from 'next-intl/server';
import { getDb } from '@/db';
import type { ActionResult } from '@/lib/actions/result';
import { codeText, fieldErrorsOf, guarded } from '@/lib/actions/result';
import { createApiKey, createKeySchema, revokeApiKey } from '@/lib/api/keys';
import { requireRole } from '@/lib/auth/session';
import { z } from '@/lib/zod';

/** A new key is in the answer once, for the admin to copy; it is never shown again. */
export type CreateKeyState = ActionResult<{ message: string; key: string; name: string }, { values?: { name: string } }> | null;
export type RevokeKeyState = ActionResult | null;

export async function createApiKeyAction(_prev: CreateKeyState, formData: FormData): Promise<CreateKeyState> {
  const admin = await requireRole('admin');
  const t = await getTranslations('apiSettings');
  const values = { name: String(formData.get('name') ?? '') };
  const parsed = createKeySchema.safeParse({ name: formData.get('name'), scopes: formData.getAll('scopes') });
  if (!parsed.success) {
    return {
      ok: false,
      message: t('errors.fix'),
      fieldErrors: fieldErrorsOf(parsed.error, codeText(await getTranslations('apiSettings.errors'), 'fix')),
      values,
    };
  }
  return guarded('API key creation', async () => {
    const created = await createApiKey(await getDb(), parsed.data, admin.id);
    revalidatePath('/settings/api');
    return { ok: true, message: t('created', { name: created.name }), key: created.key, name: created.name };
  });
}

const revokeSchema = z.object({ id: z.coerce.number().int().positive() });

export async function revokeApiKeyAction(_prev: RevokeKeyState, formData: FormData): Promise<RevokeKeyState> {
  const admin = await requireRole('admin');
  const t = await getTranslations('apiSettings');
  const parsed = revokeSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, message: t('errors.not_found') };
  return guarded('API key revocation', async () => {
    const found = await revokeApiKey(await getDb(), parsed.data.id, admin.id);
    if (!found) return { ok: false, message: t('errors.not_found') };
    revalidatePath('/settings/api');
    return { ok: true, message: t('revoked') };
  });
}
