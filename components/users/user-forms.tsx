'use client';

import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import type { UserActionState } from '@/app/(dashboard)/settings/users/actions';
import { changeUserRoleAction, createUserAction, setUserActiveAction } from '@/app/(dashboard)/settings/users/actions';
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
