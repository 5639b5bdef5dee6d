'use client';

import { useActionState } from 'react';
import type { ConfirmState } from '@/app/(public)/c/[token]/actions';
import { confirmAction } from '@/app/(public)/c/[token]/actions';
import { Button } from '@/components/ui/button';

/** The one button that confirms; what it confirmed (or why it could not) replaces it. */
export function ConfirmForm({ token, text }: { token: string; text: { button: string; note: string } }) {
  const [state, action, pending] = useActionState<ConfirmState>(confirmAction.bind(null, token), null);
  if (state) {
    return (
      <div role="status" data-testid="confirm-result" data-ok={state.ok}>
        <h2 className="mb-2 text-lg font-semibold text-slate-900">{state.title}</h2>
        <p className="text-slate-700">{state.message}</p>
        {state.items.length > 0 && (
          <ul className="mt-3 list-disc space-y-1 pl-5 text-slate-800">
            {state.items.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
        )}
        {state.note && <p className="mt-4 text-sm text-slate-600">{state.note}</p>}
      </div>
    );
  }
  return (
    <form action={action} className="space-y-4">
      <Button type="submit" disabled={pending} aria-disabled={pending} className="w-full sm:w-auto">
        {text.button}
      </Button>
      <p className="text-sm text-slate-600">{text.note}</p>
    </form>
  );
}
