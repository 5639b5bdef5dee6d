'use server';

import { revalidatePath } from 'next/cache';
import { getTranslations } from 'next-intl/server';
import { z } from '@/lib/zod';
import { getDb } from '@/db';
import { RESET_PATH, createResetLink } from '@/lib/auth/reset';
import { ROLES } from '@/lib/auth/roles';
import type { ActionResult } from '@/lib/actions/result';
import { fieldErrorsOf, guarded } from '@/lib/actions/result';
import { requireRole } from '@/lib/auth/session';
import type { ManageResult } from '@/lib/users/manage';
import { changeRole, createUser, newUserSchema, setActive } from '@/lib/users/manage';

export type UserActionState = ActionResult<{ message: string }, { values?: Record<string, string> }> | null;

const idSchema = z.coerce.number().int().positive();
const roleSchema = z.object({ userId: idSchema, role: z.enum(ROLES) });
const activeSchema = z.object({ userId: idSchema, active: z.enum(['true', 'false']).transform((v) => v === 'true') });

async function outcome(result: ManageResult, success: string): Promise<UserActionState> {
  const t = await getTranslations('users');
  if (result.ok) {
    revalidatePath('/settings/users');
    return { ok: true, message: t(success) };
  }
  return { ok: false, message: t(`errors.${result.error}`) };
}

export async function createUserAction(_prev: UserActionState, formData: FormData): Promise<UserActionState> {
  const admin = await requireRole('admin');
  const t = await getTranslations('users');
  const input = Object.fromEntries(formData);
  // Handed back so the form keeps what was typed (never the password).
  const values = { name: String(input.name ?? ''), email: String(input.email ?? ''), role: String(input.role ?? '') };
  const parsed = newUserSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, message: t('errors.fix_fields'), fieldErrors: fieldErrorsOf(parsed.error, (code) => t(`errors.${code}`)), values };
  }
  const result = await guarded('user management', async () => outcome(await createUser(await getDb(), parsed.data, admin.id), 'created'));
  return result && !result.ok ? { ...result, values } : result;
}

export async function changeUserRoleAction(_prev: UserActionState, formData: FormData): Promise<UserActionState> {
  const admin = await requireRole('admin');
  const parsed = roleSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, message: (await getTranslations('users'))('errors.role_invalid') };
  return guarded('user management', async () =>
    outcome(await changeRole(await getDb(), parsed.data.userId, parsed.data.role, admin.id), 'roleChanged'),
  );
}

export async function setUserActiveAction(_prev: UserActionState, formData: FormData): Promise<UserActionState> {
  const admin = await requireRole('admin');
  const parsed = activeSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, message: (await getTranslations('users'))('errors.not_found') };
  const { userId, active } = parsed.data;
  return guarded('user management', async () =>
    outcome(await setActive(await getDb(), userId, active, admin.id), active ? 'reactivatedDone' : 'deactivatedDone'),
  );
}

export type ResetLinkState = ActionResult<{ message: string; path: string; expiresAt: string }> | null;

/** A one-time link for the user to set a new password; shown to the admin once, never stored in the clear. */
export async function createResetLinkAction(_prev: ResetLinkState, formData: FormData): Promise<ResetLinkState> {
  const admin = await requireRole('admin');
  const t = await getTranslations('account');
  const parsed = z.object({ userId: idSchema }).safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, message: t('resetLink.not_found') };
  return guarded('reset link', async () => {
    const result = await createResetLink(await getDb(), parsed.data.userId, admin.id);
    if (!result.ok) return { ok: false, message: t(`resetLink.${result.error}`) };
    return {
      ok: true,
      message: t('resetLink.created'),
      path: `${RESET_PATH}?token=${result.token}`,
      expiresAt: result.expiresAt.toISOString(),
    };
  });
}
