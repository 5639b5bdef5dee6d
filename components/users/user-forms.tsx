'use client';

import { useActionState, useState } from 'react';
import { useFormatter, useTranslations } from 'next-intl';
import type { UserActionState } from '@/app/(dashboard)/settings/users/actions';
import {
  changeUserRoleAction,
  createResetLinkAction,
  createUserAction,
  setUserActiveAction,
} from '@/app/(dashboard)/settings/users/actions';
import { Alert } from '@/components/ui/alert';
import { Field, Input, Select } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import { ROLES } from '@/lib/auth/roles';
import type { Role } from '@/lib/auth/roles';

function Outcome({ state, id }: { state: UserActionState; id?: string }) {
  if (!state) return null;
  return (
    <p id={id} role={state.ok ? 'status' : 'alert'} className={state.ok ? 'text-xs text-emerald-700' : 'text-xs font-medium text-red-700'}>
      {state.message}
    </p>
  );
}

export function CreateUserForm() {
  const t = useTranslations('users');
  const roles = useTranslations('roles');
  const [state, action] = useActionState(createUserAction, null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const values = state && !state.ok ? state.values : undefined;
  return (
    <form action={action} className="space-y-4" noValidate>
      {state && (
        <Alert tone={state.ok ? 'success' : 'error'}>
          <span>{state.message}</span>
        </Alert>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="new-name" label={t('name')} error={errors?.name}>
          <Input id="new-name" name="name" required autoComplete="off" defaultValue={values?.name} error={errors?.name} />
        </Field>
        <Field id="new-email" label={t('email')} error={errors?.email}>
          <Input id="new-email" name="email" type="email" required autoComplete="off" defaultValue={values?.email} error={errors?.email} />
        </Field>
        <Field id="new-role" label={t('role')} error={errors?.role}>
          <Select id="new-role" name="role" defaultValue={values?.role || 'support'} key={values?.role} error={errors?.role}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {roles(r)}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="new-password" label={t('initialPassword')} error={errors?.password} hint={t('passwordHint')}>
          <Input id="new-password" name="password" type="password" required autoComplete="new-password" error={errors?.password} />
        </Field>
      </div>
      <SubmitButton pendingText={t('creating')}>{t('create')}</SubmitButton>
    </form>
  );
}

export function RoleForm({ userId, role, name }: { userId: number; role: Role; name: string }) {
  const t = useTranslations('users');
  const roles = useTranslations('roles');
  const [state, action] = useActionState(changeUserRoleAction, null);
  const outcomeId = `role-outcome-${userId}`;
  return (
    <form action={action} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="userId" value={userId} />
      <select
        name="role"
        defaultValue={role}
        aria-label={t('roleOf', { name })}
        aria-describedby={state ? outcomeId : undefined}
        className="rounded-md border-0 py-1 pl-2 pr-7 text-sm ring-1 ring-inset ring-slate-300"
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {roles(r)}
          </option>
        ))}
      </select>
      <SubmitButton variant="secondary" pendingText={t('saving')}>
        {t('saveRole')}
      </SubmitButton>
      <Outcome state={state} id={outcomeId} />
    </form>
  );
}

export function ActiveForm({ userId, active, name }: { userId: number; active: boolean; name: string }) {
  const t = useTranslations('users');
  const [state, action] = useActionState(setUserActiveAction, null);
  return (
    <form action={action} className="space-y-1">
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="active" value={active ? 'false' : 'true'} />
      <SubmitButton variant={active ? 'danger' : 'secondary'} pendingText={t('saving')}>
        <span>{active ? t('deactivate') : t('reactivate')}</span>
        <span className="sr-only">{name}</span>
      </SubmitButton>
      <Outcome state={state} />
    </form>
  );
}

/** "Reset password": makes a one-time link and shows it once, to copy and pass on (there is no e-mail sending yet). */
export function ResetLinkForm({ userId, name }: { userId: number; name: string }) {
  const t = useTranslations('account');
  const format = useFormatter();
  const [state, action] = useActionState(createResetLinkAction, null);
  const [copied, setCopied] = useState<string | null>(null);
  const url = state?.ok ? `${window.location.origin}${state.path}` : null;
  const inputId = `reset-link-${userId}`;
  return (
    <div className="space-y-1">
      <form action={action}>
        <input type="hidden" name="userId" value={userId} />
        <SubmitButton variant="secondary" pendingText={t('resetLink.creating')}>
          <span>{t('resetLink.button')}</span>
          <span className="sr-only">{name}</span>
        </SubmitButton>
      </form>
      {state && !state.ok && <Outcome state={state} />}
      {url && state?.ok && (
        <div className="w-56 space-y-1 rounded-md bg-amber-50 p-2 ring-1 ring-amber-200" data-testid={`reset-link-box-${userId}`}>
          <label htmlFor={inputId} className="block text-xs font-medium text-amber-900">
            {t('resetLink.label', { name, until: format.dateTime(new Date(state.expiresAt), { hour: '2-digit', minute: '2-digit' }) })}
          </label>
          <input
            id={inputId}
            readOnly
            value={url}
            onFocus={(e) => e.currentTarget.select()}
            className="block w-full rounded border-0 px-2 py-1 font-mono text-xs ring-1 ring-slate-300"
          />
          <button
            type="button"
            className="rounded bg-white px-2 py-1 text-xs font-medium ring-1 ring-slate-300 hover:bg-slate-50"
            onClick={() =>
              navigator.clipboard?.writeText(url).then(
                () => setCopied(url),
                () => setCopied(null),
              )
            }
          >
            {t('resetLink.copy')}
          </button>
          <p role="status" className="text-xs text-amber-900">
            {copied === url ? t('resetLink.copied') : t('resetLink.once')}
          </p>
        </div>
      )}
    </div>
  );
}
