'use client';

import { useActionState, useState } from 'react';
import { useTranslations } from 'next-intl';
import type { CreateKeyState, RevokeKeyState } from '@/app/(dashboard)/settings/api/actions';
import { createApiKeyAction, revokeApiKeyAction } from '@/app/(dashboard)/settings/api/actions';
import { Alert } from '@/components/ui/alert';
import { Field, Input } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import { API_SCOPES } from '@/lib/api/scopes';

export function CreateApiKeyForm() {
  const t = useTranslations('apiSettings');
  const [state, action] = useActionState<CreateKeyState, FormData>(createApiKeyAction, null);
  const [copied, setCopied] = useState<string | null>(null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const values = state && !state.ok ? state.values : undefined;
  return (
    <div className="space-y-4">
      {state?.ok && (
        <div className="space-y-2 rounded-md bg-amber-50 p-3 ring-1 ring-amber-200" data-testid="new-api-key">
          <p role="status" className="text-sm font-medium text-amber-900">
            {state.message}
          </p>
          <label htmlFor="new-api-key-value" className="block text-xs text-amber-900">
            {t('shownOnce')}
          </label>
          <input
            id="new-api-key-value"
            readOnly
            value={state.key}
            onFocus={(e) => e.currentTarget.select()}
            className="block w-full rounded border-0 px-2 py-1 font-mono text-xs ring-1 ring-slate-300"
          />
          <button
            type="button"
            className="rounded bg-white px-2 py-1 text-xs font-medium ring-1 ring-slate-300 hover:bg-slate-50"
            onClick={() =>
              navigator.clipboard?.writeText(state.key).then(
                () => setCopied(state.key),
                () => setCopied(null),
              )
            }
          >
            {copied === state.key ? t('copied') : t('copy')}
          </button>
        </div>
      )}
      <form action={action} className="space-y-4" noValidate>
        {state && !state.ok && (
          <Alert tone="error">
            <span>{state.message}</span>
          </Alert>
        )}
        <Field id="api-key-name" label={t('name')} error={errors?.name} hint={t('nameHint')}>
          <Input
            id="api-key-name"
            name="name"
            required
            maxLength={100}
            autoComplete="off"
            defaultValue={values?.name}
            error={errors?.name}
          />
        </Field>
        <fieldset aria-describedby={errors?.scopes ? 'api-key-scopes-error' : undefined}>
          <legend className="text-sm font-medium text-slate-800">{t('scopes')}</legend>
          <div className="mt-2 space-y-2">
            {API_SCOPES.map((scope) => (
              <label key={scope} className="flex items-start gap-2 text-sm text-slate-800">
                <input type="checkbox" name="scopes" value={scope} className="mt-0.5" />
                <span>
                  <code className="text-xs">{scope}</code> <span className="text-slate-600">{t(`scope.${scope.replace(':', '_')}`)}</span>
                </span>
              </label>
            ))}
          </div>
          {errors?.scopes && (
            <p id="api-key-scopes-error" className="mt-1 text-xs font-medium text-red-700">
              {errors.scopes}
            </p>
          )}
        </fieldset>
        <SubmitButton pendingText={t('creating')}>{t('create')}</SubmitButton>
      </form>
    </div>
  );
}

export function RevokeApiKeyForm({ id, name }: { id: number; name: string }) {
  const t = useTranslations('apiSettings');
  const [state, action] = useActionState<RevokeKeyState, FormData>(revokeApiKeyAction, null);
  return (
    <form
      action={action}
      className="space-y-1"
      onSubmit={(e) => {
        if (!window.confirm(t('revokeConfirm', { name }))) e.preventDefault();
      }}
    >
      <input type="hidden" name="id" value={id} />
      <SubmitButton variant="danger" pendingText={t('revoking')}>
        <span>{t('revoke')}</span>
        <span className="sr-only">{name}</span>
      </SubmitButton>
      {state && (
        <p role={state.ok ? 'status' : 'alert'} className={state.ok ? 'text-xs text-emerald-700' : 'text-xs font-medium text-red-700'}>
          {state.message}
        </p>
      )}
    </form>
  );
}
