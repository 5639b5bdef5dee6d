'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { getDb } from '@/db';
import type { ActionResult } from '@/lib/actions/result';
import { codeText, fieldErrorsOf, guarded } from '@/lib/actions/result';
import { requireRole } from '@/lib/auth/session';
import { CHANNELS, PURPOSES } from '@/lib/consent';
import { formDefinitionSchema, saveForm } from '@/lib/opt-in/forms';
import { forgetFrameOrigins } from '@/lib/opt-in/frame-origins';
import { z } from '@/lib/zod';

export type FormEditorState = ActionResult | null;

const idSchema = z.coerce.number().int().positive().max(2_147_483_647);

/** The admin's form as the schema reads it: each asked-for box with its wording, origins one per line. */
function definitionFrom(formData: FormData) {
  const text = (name: string) => String(formData.get(name) ?? '');
  const on = (name: string) => formData.get(name) === 'on';
  return {
    slug: text('slug'),
    shopName: text('shopName'),
    privacyUrl: text('privacyUrl'),
    language: text('language'),
    market: text('market'),
    alwaysDoubleOptIn: on('alwaysDoubleOptIn'),
    active: on('active'),
    allowedOrigins: text('allowedOrigins').split(/\r?\n/),
    boxes: CHANNELS.flatMap((channel) =>
      PURPOSES.flatMap((purpose) =>
        on(`ask.${channel}.${purpose}`) ? [{ channel, purpose, wording: text(`wording.${channel}.${purpose}`) }] : [],
      ),
    ),
  };
}

/** Creates (no id) or changes a hosted opt-in form: admins only. Changed wording makes a new version. */
export async function saveOptInFormAction(_prev: FormEditorState, formData: FormData): Promise<FormEditorState> {
  const admin = await requireRole('admin');
  const t = await getTranslations('optIn');
  const rawId = formData.get('id');
  const id = rawId ? idSchema.safeParse(rawId) : null;
  if (id && !id.success) return { ok: false, message: t('notFound') };
  const parsed = formDefinitionSchema.safeParse(definitionFrom(formData));
  if (!parsed.success) {
    // A wording's issue is on boxes.N.wording: it is shown with the boxes.
    const text = codeText(await getTranslations('optIn.errors'), 'required');
    return { ok: false, message: t('fix'), fieldErrors: fieldErrorsOf(parsed.error, text) };
  }
  const result = await guarded('saving an opt-in form', async () => {
    const saved = await saveForm(await getDb(), id?.data ?? null, parsed.data, admin.id);
    if (!saved.ok) {
      return saved.code === 'slug_taken'
        ? { ok: false as const, message: t('fix'), fieldErrors: { slug: t('errors.slug_taken') } }
        : { ok: false as const, message: t('notFound') };
    }
    forgetFrameOrigins(parsed.data.slug);
    revalidatePath('/settings/forms');
    return { ok: true as const, formId: saved.formId, newVersion: saved.newVersion, version: saved.version };
  });
  if (!result.ok) return result;
  if (!id) redirect(`/settings/forms/${result.formId}?created=1`);
  return { ok: true, message: result.newVersion ? t('savedVersion', { version: result.version }) : t('saved') };
}
