'use client';

import { useActionState } from 'react';
import type { PreferenceActionState } from '@/app/(public)/p/[token]/actions';
import { changePreferenceAction } from '@/app/(public)/p/[token]/actions';
import { SubmitButton } from '@/components/ui/submit-button';
import { cn } from '@/components/ui/cn';

export type PreferenceChoiceProps = {
  token: string;
  locale: string;
  version: string;
  channel: string;
  purpose: string;
  seen: number | null;
  intent: 'withdraw' | 'grant';
  /** The button's text, what screen readers hear after it (which choice it changes), and its text while saving. */
  button: string;
  context: string;
  saving: string;
};

/** One button that withdraws or grants one channel and purpose, and the answer under it. Works without JavaScript too. */
export function PreferenceChoice(props: PreferenceChoiceProps) {
  const [state, action] = useActionState<PreferenceActionState, FormData>(changePreferenceAction, null);
  const id = `answer-${props.channel}-${props.purpose}`;
  return (
    <form action={action} className="space-y-2" aria-describedby={state ? id : undefined}>
      {(['token', 'locale', 'version', 'channel', 'purpose', 'intent'] as const).map((name) => (
        <input key={name} type="hidden" name={name} value={props[name]} />
      ))}
      <input type="hidden" name="seen" value={props.seen ?? ''} />
      <SubmitButton variant={props.intent === 'withdraw' ? 'secondary' : 'primary'} pendingText={props.saving}>
        {props.button}
        <span className="sr-only">{props.context}</span>
      </SubmitButton>
      <p id={id} role="status" className={cn('text-sm', state?.ok === false ? 'font-medium text-red-700' : 'text-emerald-800')}>
        {state?.message ?? ''}
      </p>
    </form>
  );
}
