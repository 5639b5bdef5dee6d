'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { startTransition, useActionState, useEffect, useRef } from 'react';
import { sendConfirmationsAction } from '@/app/(dashboard)/customers/confirmations/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';

/**
 * The shop name the mails name, and the two ways to ask: mails sent by a background job (the action), or the links as
 * CSV (the form's own post to the route, so that the browser downloads the file).
 */
export function SendConfirmations({ filter, canSend }: { filter: string; canSend: boolean }) {
  const t = useTranslations('optIn');
  const [state, dispatch, pending] = useActionState(sendConfirmationsAction, null);
  const form = useRef<HTMLFormElement>(null);
  const error = state && !state.ok ? state.fieldErrors?.shopName : undefined;
  const send = () => {
    if (form.current) {
      const data = new FormData(form.current);
      startTransition(() => dispatch(data));
    }
  };
  return (
    <form ref={form} method="post" action="/customers/confirmations/links" className="space-y-4">
      {state && <Alert tone={state.ok ? 'success' : 'error'}>{state.message}</Alert>}
      <input type="hidden" name="filter" value={filter} />
      <Field id="c-shop" label={t('confirmShop')} error={error} hint={t('confirmLanguageHint')}>
        <Input id="c-shop" name="shopName" required maxLength={120} error={error} />
      </Field>
      <div className="flex flex-wrap gap-2">
        <Button type="button" onClick={send} disabled={pending || !canSend} aria-disabled={pending || !canSend}>
          {t('confirmSend')}
        </Button>
        <Button type="submit" variant="secondary">
          {t('confirmCsv')}
        </Button>
      </div>
    </form>
  );
}

/** Refreshes the page every two seconds while a run is waiting or sending, so its counts move. */
export function RefreshWhile({ active }: { active: boolean }) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => router.refresh(), 2_000);
    return () => clearInterval(timer);
  }, [active, router]);
  return null;
}
