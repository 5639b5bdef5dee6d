'use client';

import { useActionState } from 'react';
import type { UnsubscribeState } from '@/app/(public)/u/[token]/actions';
import { unsubscribeAction } from '@/app/(public)/u/[token]/actions';
import { SubmitButton } from '@/components/ui/submit-button';
import { cn } from '@/components/ui/cn';

/** The unsubscribe page's one button; once it has worked, the answer takes its place. Works without JavaScript too. */
export function UnsubscribeButton({ token, locale, button, saving }: { token: string; locale: string; button: string; saving: string }) {
  const [state, action] = useActionState<UnsubscribeState, FormData>(unsubscribeAction, null);
  return (
    <form action={action} className="space-y-3">
      <input type="hidden" name="token" value={token} />
      <input type="hidden" name="locale" value={locale} />
      {!state?.ok && <SubmitButton pendingText={saving}>{button}</SubmitButton>}
      <p role="status" className={cn('text-sm', state?.ok === false ? 'font-medium text-red-700' : 'font-medium text-emerald-800')}>
        {state?.message ?? ''}
      </p>
    </form>
  );
}
