'use client';

import { useTranslations } from 'next-intl';
import { saveOptInFormAction } from '@/app/(dashboard)/settings/forms/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field, Input, Select, Textarea } from '@/components/ui/field';
import { useKeptForm } from '@/components/ui/kept-form';
import type { OptInBox } from '@/db/schema';
import { CHANNELS, PURPOSES } from '@/lib/consent';

export type FormEditorValue = {
  id: number | null;
  slug: string;
  shopName: string;
  privacyUrl: string;
  language: string;
  market: string;
  alwaysDoubleOptIn: boolean;
  active: boolean;
  allowedOrigins: string[];
  boxes: OptInBox[];
};

/** The admin's definition of a hosted form: its address, shop, language and market, and one box per channel and purpose. */
export function FormEditor({
  value,
  languages,
  markets,
}: {
  value: FormEditorValue;
  languages: ReadonlyArray<{ code: string; name: string }>;
  markets: readonly string[];
}) {
  const t = useTranslations('optIn');
  const enums = useTranslations('enums');
  const { state, onSubmit, pending } = useKeptForm(saveOptInFormAction);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const box = (channel: string, purpose: string) => value.boxes.find((b) => b.channel === channel && b.purpose === purpose);
  return (
    <form onSubmit={onSubmit} className="space-y-6" noValidate>
      {state && <Alert tone={state.ok ? 'success' : 'error'}>{state.message}</Alert>}
      {value.id !== null && <input type="hidden" name="id" value={value.id} />}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="f-slug" label={t('slug')} error={errors?.slug} hint={t('slugHint')}>
          <Input id="f-slug" name="slug" defaultValue={value.slug} required maxLength={60} error={errors?.slug} />
        </Field>
        <Field id="f-shop" label={t('shopName')} error={errors?.shopName}>
          <Input id="f-shop" name="shopName" defaultValue={value.shopName} required maxLength={120} error={errors?.shopName} />
        </Field>
        <Field id="f-privacy" label={t('privacyUrl')} error={errors?.privacyUrl}>
          <Input id="f-privacy" name="privacyUrl" type="url" defaultValue={value.privacyUrl} required error={errors?.privacyUrl} />
        </Field>
        <Field id="f-language" label={t('language')} error={errors?.language}>
          <Select id="f-language" name="language" defaultValue={value.language} error={errors?.language}>
            {languages.map((l) => (
              <option key={l.code} value={l.code}>
                {l.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="f-market" label={t('market')} error={errors?.market} hint={t('marketHint')}>
          <Select id="f-market" name="market" defaultValue={value.market} error={errors?.market}>
            {markets.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="f-origins" label={t('origins')} error={errors?.allowedOrigins} hint={t('originsHint')}>
          <Textarea
            id="f-origins"
            name="allowedOrigins"
            rows={3}
            defaultValue={value.allowedOrigins.join('\n')}
            placeholder="https://shop.example"
            error={errors?.allowedOrigins}
          />
        </Field>
      </div>
      <div className="space-y-2">
        <label className="flex items-center gap-2 text-sm text-slate-800">
          <input
            type="checkbox"
            name="alwaysDoubleOptIn"
            defaultChecked={value.alwaysDoubleOptIn}
            className="h-4 w-4 rounded border-slate-300"
          />
          {t('alwaysDoubleOptIn')}
        </label>
        <label className="flex items-center gap-2 text-sm text-slate-800">
          <input type="checkbox" name="active" defaultChecked={value.active} className="h-4 w-4 rounded border-slate-300" />
          {t('active')}
        </label>
      </div>
      <fieldset aria-describedby={errors?.boxes ? 'f-boxes-error' : undefined}>
        <legend className="text-base font-semibold text-slate-900">{t('boxesTitle')}</legend>
        <p className="mb-3 text-sm text-slate-600">{t('boxesText')}</p>
        {errors?.boxes && (
          <p id="f-boxes-error" className="mb-3 text-sm font-medium text-red-700">
            {errors.boxes}
          </p>
        )}
        <div className="grid gap-4 md:grid-cols-2">
          {CHANNELS.flatMap((channel) =>
            PURPOSES.map((purpose) => {
              const current = box(channel, purpose);
              const key = `${channel}.${purpose}`;
              return (
                <div key={key} className="rounded-md p-3 ring-1 ring-slate-200">
                  <label className="flex items-center gap-2 text-sm font-medium text-slate-800">
                    <input
                      type="checkbox"
                      name={`ask.${key}`}
                      defaultChecked={Boolean(current)}
                      className="h-4 w-4 rounded border-slate-300"
                    />
                    {t('ask', { channel: enums(`channel.${channel}`), purpose: enums(`purpose.${purpose}`) })}
                  </label>
                  <label htmlFor={`f-wording-${key}`} className="sr-only">
                    {`${t('wording')}: ${enums(`channel.${channel}`)} - ${enums(`purpose.${purpose}`)}`}
                  </label>
                  <Textarea
                    id={`f-wording-${key}`}
                    name={`wording.${key}`}
                    rows={2}
                    className="mt-2"
                    defaultValue={current?.wording ?? ''}
                    maxLength={1000}
                  />
                </div>
              );
            }),
          )}
        </div>
      </fieldset>
      <Button type="submit" disabled={pending} aria-disabled={pending}>
        {t('save')}
      </Button>
    </form>
  );
}
