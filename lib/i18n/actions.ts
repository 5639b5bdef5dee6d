'use server';

import { cookies } from 'next/headers';
import { revalidatePath } from 'next/cache';
import { z } from '@/lib/zod';
import type { ActionResult } from '@/lib/actions/result';
import { LOCALES, LOCALE_COOKIE } from './config';

const localeSchema = z.enum(LOCALES);

/** Any visitor may choose their language, signed in or not. */
export async function setLocale(locale: unknown): Promise<ActionResult<object>> {
  const parsed = localeSchema.safeParse(locale);
  if (!parsed.success) return { ok: false, message: 'Unsupported language.' };
  (await cookies()).set(LOCALE_COOKIE, parsed.data, { path: '/', maxAge: 365 * 24 * 3600, sameSite: 'lax' });
  revalidatePath('/', 'layout');
  return { ok: true };
}
