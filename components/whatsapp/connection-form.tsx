'use client';

import { startTransition, useActionState, useEffect, useRef } from 'react';
import { useTranslations } from 'next-intl';
import { checkWhatsAppConnectionAction, saveWhatsAppConnectionAction } from '@/app/(dashboard)/settings/whatsapp/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';
import { useKeptForm } from '@/components/ui/kept-form';

export type ConnectionFormValue = {
  phoneNumberId: string;
  businessAccountId: string;
  baseUrl: string;
  apiVersion: string;
  /** "Saved on …, ends in …4f2a", or null before a token is saved. */
  tokenSaved: string | null;
  tokenUnreadable: boolean;
};

export function ConnectionForm({ value }: { value: ConnectionFormValue }) {
  const t = useTranslations('whatsappConnection');
  const { state, onSubmit, pending } = useKeptForm(saveWhatsAppConnectionAction);
  const [check, dispatchCheck, checking] = useActionState(checkWhatsAppConnectionAction, null);
  const form = useRef<HTMLFormElement>(null);
  // The latest answer's field errors, whichever button asked.
  const errors = (check && !check.ok ? check.fieldErrors : undefined) ?? (state && !state.ok ? state.fieldErrors : undefined);
  const runCheck = () => {
    if (form.current) {
      const data = new FormData(form.current);
      startTransition(() => dispatchCheck(data));
    }
  };
  // A saved token is never shown again, not even in the field it was typed into.
  useEffect(() => {
    const token = form.current?.elements.namedItem('accessToken');
    if (state?.ok && token instanceof HTMLInputElement) token.value = '';
  }, [state]);
  const hasToken = value.tokenSaved !== null && !value.tokenUnreadable;
  return (
    <form ref={form} onSubmit={onSubmit} className="space-y-4" noValidate aria-label={t('title')}>
      {state && <Alert tone={state.ok ? 'success' : 'error'}>{state.message}</Alert>}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="wa-phone" label={t('phoneNumberId')} error={errors?.phoneNumberId} hint={t('phoneNumberIdHint')}>
          <Input
            id="wa-phone"
            name="phoneNumberId"
            inputMode="numeric"
            autoComplete="off"
            defaultValue={value.phoneNumberId}
            error={errors?.phoneNumberId}
          />
        </Field>
        <Field id="wa-waba" label={t('businessAccountId')} error={errors?.businessAccountId} hint={t('businessAccountIdHint')}>
          <Input
            id="wa-waba"
            name="businessAccountId"
            inputMode="numeric"
            autoComplete="off"
            defaultValue={value.businessAccountId}
            error={errors?.businessAccountId}
          />
        </Field>
      </div>
      {value.tokenUnreadable && <Alert tone="error">{t('tokenUnreadable')}</Alert>}
      {hasToken && (
        <p className="text-sm text-slate-700" data-testid="token-saved">
          {value.tokenSaved}
        </p>
      )}
      <Field
        id="wa-token"
        label={hasToken ? t('replaceToken') : t('accessToken')}
        error={errors?.accessToken}
        hint={hasToken ? t('replaceTokenHint') : t('accessTokenHint')}
      >
        <Input id="wa-token" name="accessToken" type="password" autoComplete="off" spellCheck={false} error={errors?.accessToken} />
      </Field>
      <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_12rem]">
        <Field id="wa-base" label={t('baseUrl')} error={errors?.baseUrl} hint={t('baseUrlHint')}>
          <Input id="wa-base" name="baseUrl" type="url" autoComplete="off" defaultValue={value.baseUrl} error={errors?.baseUrl} />
        </Field>
        <Field id="wa-version" label={t('apiVersion')} error={errors?.apiVersion} hint={t('apiVersionHint')}>
          <Input id="wa-version" name="apiVersion" autoComplete="off" defaultValue={value.apiVersion} error={errors?.apiVersion} />
        </Field>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={pending} aria-disabled={pending}>
          {t('save')}
        </Button>
        <Button type="button" variant="secondary" onClick={runCheck} disabled={checking} aria-disabled={checking}>
          {checking ? t('checking') : t('check')}
        </Button>
        <span className="text-xs text-slate-600">{t('checkText')}</span>
      </div>
      {check && (
        <div data-testid="check-result">
          <Alert tone={check.ok ? 'success' : 'error'}>{check.message}</Alert>
        </div>
      )}
    </form>
  );
}
