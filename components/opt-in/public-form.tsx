'use client';

import { useActionState } from 'react';
import type { OptInFormState } from '@/app/(public)/f/[slug]/actions';
import { submitOptInAction } from '@/app/(public)/f/[slug]/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';

export type PublicFormText = {
  intro: string;
  boxesLegend: string;
  email: string;
  phone: string;
  phoneHint: string;
  privacy: string;
  submit: string;
  submitting: string;
};

/** The boxes, the address fields and the submit button of a hosted form; nothing is ticked until the customer ticks it. */
export function PublicOptInForm({
  slug,
  boxes,
  askPhone,
  privacyUrl,
  text,
}: {
  slug: string;
  boxes: ReadonlyArray<{ key: string; wording: string }>;
  askPhone: boolean;
  privacyUrl: string;
  text: PublicFormText;
}) {
  const [state, action, pending] = useActionState<OptInFormState, FormData>(submitOptInAction.bind(null, slug), null);
  if (state?.ok) {
    return (
      <div role="status" data-testid="opt-in-done">
        <h2 className="mb-2 text-lg font-semibold text-slate-900">{state.title}</h2>
        <p className="text-slate-700">{state.message}</p>
      </div>
    );
  }
  const errors = state && !state.ok ? state.fieldErrors : {};
  // After an error the form shows what the visitor entered (React resets a form once its action has run).
  const values = state && !state.ok ? state.values : undefined;
  return (
    <form action={action} className="space-y-5" noValidate>
      <p className="text-slate-700">{text.intro}</p>
      {state && !state.ok && <Alert tone="error">{state.message}</Alert>}
      <fieldset aria-describedby={errors.boxes ? 'boxes-error' : undefined}>
        <legend className="mb-2 text-sm font-medium text-slate-800">{text.boxesLegend}</legend>
        <div className="space-y-3">
          {boxes.map((b) => (
            <label key={b.key} className="flex items-start gap-3 text-sm text-slate-800">
              <input
                type="checkbox"
                name="box"
                value={b.key}
                defaultChecked={values?.ticked.includes(b.key) ?? false}
                className="mt-0.5 h-5 w-5 shrink-0 rounded border-slate-400"
              />
              <span>{b.wording}</span>
            </label>
          ))}
        </div>
        {errors.boxes && (
          <p id="boxes-error" className="mt-2 text-xs font-medium text-red-700">
            {errors.boxes}
          </p>
        )}
      </fieldset>
      <Field id="opt-in-email" label={text.email} error={errors.email}>
        <Input
          id="opt-in-email"
          name="email"
          type="email"
          autoComplete="email"
          required
          maxLength={254}
          defaultValue={values?.email}
          error={errors.email}
        />
      </Field>
      {askPhone && (
        <Field id="opt-in-phone" label={text.phone} error={errors.phone} hint={text.phoneHint}>
          <Input
            id="opt-in-phone"
            name="phone"
            type="tel"
            autoComplete="tel"
            maxLength={40}
            defaultValue={values?.phone}
            error={errors.phone}
          />
        </Field>
      )}
      <p className="text-sm">
        <a href={privacyUrl} target="_blank" rel="noopener noreferrer" className="text-brand-800 underline">
          {text.privacy}
        </a>
      </p>
      <Button type="submit" disabled={pending} aria-disabled={pending} className="w-full sm:w-auto">
        {pending ? text.submitting : text.submit}
      </Button>
    </form>
  );
}
