'use client';

import type { FormEvent } from 'react';
import { startTransition, useActionState, useState } from 'react';
import { useLocale, useTranslations } from 'next-intl';
import type { DraftActionState } from '@/app/(dashboard)/messages/actions';
import { saveDraftAction } from '@/app/(dashboard)/messages/actions';
import { BatchOptions, SourceOptions } from '@/components/customers/filter-options';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field, Input, Select } from '@/components/ui/field';
import type { TemplateButton } from '@/db/schema';
import type { Audience } from '@/lib/messages/input';
import { VARIABLE_FIELDS } from '@/lib/whatsapp/cloud-api';
import { optOutFor, reviewDraft } from '@/lib/whatsapp/linter';
import type { Issue, IssueField } from '@/lib/whatsapp/template-rules';
import { LIMITS, bodyVariableCount } from '@/lib/whatsapp/template-rules';
import { ChatPreview } from './chat-preview';

export type EditorDraft = {
  id?: number;
  name: string;
  category: 'transactional' | 'marketing';
  language: string;
  header: string;
  headerExample: string;
  body: string;
  footer: string;
  sender: string;
  buttons: TemplateButton[];
  examples: string[];
  variableFields: string[];
  audience: Audience;
};

export type AudienceOptions = { markets: string[]; sources: string[]; batches: Array<{ id: number; fileName: string }> };

const LANGUAGES = ['pl', 'de', 'en', 'fr', 'es', 'it', 'nl', 'cs'];
const TEXTAREA =
  'block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-xs ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-inset focus:ring-brand-600 aria-invalid:ring-red-500';

function Counter({ value, max }: { value: string; max: number }) {
  const n = [...value].length;
  return <span className={n > max ? 'font-medium text-red-700' : 'text-slate-500'}>{`${n} / ${max}`}</span>;
}

/** The template editor: every check runs as the seller types, and again on the server on save and on each step. */
export function DraftEditor({ initial, options }: { initial: EditorDraft; options: AudienceOptions }) {
  const t = useTranslations('messages');
  const enums = useTranslations('enums');
  const a11y = useTranslations('a11y');
  const locale = useLocale();
  const [d, setD] = useState<EditorDraft>(initial);
  const [state, dispatch, pending] = useActionState<DraftActionState, FormData>(saveDraftAction, null);
  const set = <K extends keyof EditorDraft>(key: K, value: EditorDraft[K]) => setD((prev) => ({ ...prev, [key]: value }));

  const template = {
    name: d.name.trim(),
    category: d.category,
    language: d.language,
    header: d.header || null,
    headerExample: d.headerExample || null,
    body: d.body,
    footer: d.footer || null,
    buttons: d.buttons,
    examples: d.examples,
    sender: d.sender || null,
  };
  const review = reviewDraft(template);
  const variableCount = bodyVariableCount(d.body);
  const optOut = optOutFor(d.language);
  const languageName = (code: string) => {
    try {
      return new Intl.DisplayNames([locale], { type: 'language' }).of(code) ?? code;
    } catch {
      return code;
    }
  };
  const issueText = (i: Issue) => (t.has(`issues.${i.code}`) ? t(`issues.${i.code}`, i.params ?? {}) : i.code);
  const issuesOf = (field: IssueField) => review.issues.filter((i) => i.field === field);
  const errorOf = (field: IssueField) =>
    (state && !state.ok && state.fieldErrors?.[field]) || issuesOf(field).map(issueText).join(' ') || undefined;
  const kindLabel = (kind: string) => t(`promoKinds.${kind}`);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => dispatch(data));
  };
  const setButton = (index: number, button: TemplateButton) =>
    set(
      'buttons',
      d.buttons.map((b, i) => (i === index ? button : b)),
    );
  const addButton = (button: TemplateButton) => set('buttons', [...d.buttons, button]);
  const setAt = (key: 'examples' | 'variableFields', index: number, value: string) => {
    const next = [...d[key]];
    while (next.length <= index) next.push(key === 'variableFields' ? 'example' : '');
    next[index] = value;
    set(key, next);
  };
  const toggleMarket = (m: string, on: boolean) =>
    set('audience', { ...d.audience, markets: on ? [...d.audience.markets, m].sort() : d.audience.markets.filter((x) => x !== m) });
  const missingOptOut = review.issues.some((i) => i.code === 'marketing_opt_out');

  return (
    <form onSubmit={onSubmit} className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]" aria-label={t('editorTitle')}>
      <input type="hidden" name="id" value={d.id ?? ''} />
      <input type="hidden" name="buttons" value={JSON.stringify(d.buttons)} />
      <input type="hidden" name="examples" value={JSON.stringify(d.examples.slice(0, variableCount))} />
      <input
        type="hidden"
        name="variableFields"
        value={JSON.stringify(Array.from({ length: variableCount }, (_, i) => d.variableFields[i] ?? 'example'))}
      />
      <input type="hidden" name="audience" value={JSON.stringify(d.audience)} />
      <div className="min-w-0 space-y-6">
        <section className="space-y-4 rounded-lg bg-white p-5 shadow-xs ring-1 ring-slate-200">
          <h2 className="text-base font-semibold text-slate-900">{t('templateTitle')}</h2>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field id="d-name" label={t('name')} hint={t('nameHint')} error={errorOf('name')}>
              <Input
                id="d-name"
                name="name"
                value={d.name}
                onChange={(e) => set('name', e.target.value)}
                error={errorOf('name')}
                autoComplete="off"
              />
            </Field>
            <Field id="d-category" label={t('category')} hint={t(`categoryHint.${d.category}`)} error={errorOf('category')}>
              <Select
                id="d-category"
                name="category"
                value={d.category}
                onChange={(e) => set('category', e.target.value as EditorDraft['category'])}
                error={errorOf('category')}
              >
                <option value="transactional">{t('categories.transactional')}</option>
                <option value="marketing">{t('categories.marketing')}</option>
              </Select>
            </Field>
            <Field id="d-language" label={t('language')} error={errorOf('language')}>
              <Select id="d-language" name="language" value={d.language} onChange={(e) => set('language', e.target.value)}>
                {[...new Set([...LANGUAGES, d.language])].map((l) => (
                  <option key={l} value={l}>
                    {languageName(l)} ({l})
                  </option>
                ))}
              </Select>
            </Field>
            <Field id="d-sender" label={t('sender')} hint={t('senderHint')}>
              <Input id="d-sender" name="sender" value={d.sender} onChange={(e) => set('sender', e.target.value)} />
            </Field>
          </div>
          <Field id="d-header" label={t('header')} hint={<Counter value={d.header} max={LIMITS.header} />} error={errorOf('header')}>
            <Input id="d-header" name="header" value={d.header} onChange={(e) => set('header', e.target.value)} error={errorOf('header')} />
          </Field>
          {d.header.includes('{{1}}') && (
            <Field id="d-header-example" label={t('headerExample')}>
              <Input
                id="d-header-example"
                name="headerExample"
                value={d.headerExample}
                onChange={(e) => set('headerExample', e.target.value)}
              />
            </Field>
          )}
          <Field
            id="d-body"
            label={t('body')}
            hint={
              <>
                <Counter value={d.body} max={LIMITS.body} /> · {t('bodyHint')}
              </>
            }
            error={errorOf('body')}
          >
            <textarea
              id="d-body"
              name="body"
              rows={7}
              value={d.body}
              onChange={(e) => set('body', e.target.value)}
              className={TEXTAREA}
              aria-invalid={errorOf('body') ? true : undefined}
              aria-describedby={errorOf('body') ? 'd-body-error' : undefined}
            />
          </Field>
          {variableCount > 0 && (
            <fieldset className="space-y-2">
              <legend className="text-sm font-medium text-slate-800">{t('variables')}</legend>
              <p className="text-xs text-slate-500">{t('variablesHint')}</p>
              {Array.from({ length: variableCount }, (_, i) => (
                <div key={i} className="grid grid-cols-[3rem_minmax(0,1fr)_minmax(0,1fr)] items-center gap-2">
                  <span className="font-mono text-sm text-slate-700">{`{{${i + 1}}}`}</span>
                  <Input
                    aria-label={t('exampleFor', { variable: `{{${i + 1}}}` })}
                    value={d.examples[i] ?? ''}
                    onChange={(e) => setAt('examples', i, e.target.value)}
                  />
                  <Select
                    aria-label={t('fieldFor', { variable: `{{${i + 1}}}` })}
                    value={d.variableFields[i] ?? 'example'}
                    onChange={(e) => setAt('variableFields', i, e.target.value)}
                  >
                    {VARIABLE_FIELDS.map((f) => (
                      <option key={f} value={f}>
                        {t(`variableFields.${f}`)}
                      </option>
                    ))}
                  </Select>
                </div>
              ))}
              {errorOf('examples') && (
                <p id="d-examples-error" className="text-xs font-medium text-red-700">
                  {errorOf('examples')}
                </p>
              )}
            </fieldset>
          )}
          <Field id="d-footer" label={t('footer')} hint={<Counter value={d.footer} max={LIMITS.footer} />} error={errorOf('footer')}>
            <Input id="d-footer" name="footer" value={d.footer} onChange={(e) => set('footer', e.target.value)} error={errorOf('footer')} />
          </Field>
          {missingOptOut && (
            <div className="flex flex-wrap gap-2" data-testid="opt-out-offer">
              <Button type="button" variant="secondary" onClick={() => set('footer', optOut.line)}>
                {t('addOptOutLine', { line: optOut.line })}
              </Button>
              <Button type="button" variant="secondary" onClick={() => addButton({ type: 'quick_reply', text: optOut.quickReply })}>
                {t('addOptOutButton', { label: optOut.quickReply })}
              </Button>
            </div>
          )}
          <fieldset className="space-y-2">
            <legend className="text-sm font-medium text-slate-800">{t('buttons')}</legend>
            {d.buttons.map((b, i) => (
              <div key={i} className="flex flex-wrap items-center gap-2 rounded-md bg-slate-50 p-2" data-testid="button-row">
                <span className="w-24 text-xs font-medium text-slate-600">{t(`buttonTypes.${b.type}`)}</span>
                <Input
                  className="min-w-0 flex-1 basis-40"
                  aria-label={t('buttonLabel', { position: i + 1 })}
                  value={b.text}
                  onChange={(e) => setButton(i, { ...b, text: e.target.value })}
                />
                {b.type === 'url' && (
                  <Input
                    className="min-w-0 flex-1 basis-52"
                    aria-label={t('buttonUrl', { position: i + 1 })}
                    value={b.url}
                    placeholder="https://"
                    onChange={(e) => setButton(i, { ...b, url: e.target.value })}
                  />
                )}
                {b.type === 'phone_number' && (
                  <Input
                    className="min-w-0 flex-1 basis-40"
                    aria-label={t('buttonPhone', { position: i + 1 })}
                    value={b.phoneNumber}
                    placeholder="+48…"
                    onChange={(e) => setButton(i, { ...b, phoneNumber: e.target.value })}
                  />
                )}
                <Button
                  type="button"
                  variant="ghost"
                  onClick={() =>
                    set(
                      'buttons',
                      d.buttons.filter((_, j) => j !== i),
                    )
                  }
                >
                  {t('removeButton')}
                  <span className="sr-only"> {i + 1}</span>
                </Button>
              </div>
            ))}
            <div className="flex flex-wrap gap-2">
              <Button type="button" variant="secondary" onClick={() => addButton({ type: 'quick_reply', text: '' })}>
                {t('addQuickReply')}
              </Button>
              <Button type="button" variant="secondary" onClick={() => addButton({ type: 'url', text: '', url: '' })}>
                {t('addUrl')}
              </Button>
              <Button type="button" variant="secondary" onClick={() => addButton({ type: 'phone_number', text: '', phoneNumber: '' })}>
                {t('addPhone')}
              </Button>
            </div>
            {errorOf('buttons') && <p className="text-xs font-medium text-red-700">{errorOf('buttons')}</p>}
          </fieldset>
        </section>

        <section className="space-y-4 rounded-lg bg-white p-5 shadow-xs ring-1 ring-slate-200">
          <h2 className="text-base font-semibold text-slate-900">{t('audienceTitle')}</h2>
          <fieldset>
            <legend className="text-sm font-medium text-slate-800">{t('markets')}</legend>
            <p className="text-xs text-slate-500">{t('marketsHint')}</p>
            <div className="mt-2 flex flex-wrap gap-x-4 gap-y-2">
              {options.markets.map((m) => (
                <label key={m} className="flex items-center gap-1.5 text-sm text-slate-700">
                  <input
                    type="checkbox"
                    checked={d.audience.markets.includes(m)}
                    onChange={(e) => toggleMarket(m, e.target.checked)}
                    className="h-4 w-4 rounded border-slate-300"
                  />
                  {m}
                </label>
              ))}
            </div>
          </fieldset>
          <div className="grid gap-4 sm:grid-cols-3">
            <Field id="d-source" label={t('source')}>
              <Select
                id="d-source"
                value={d.audience.source ?? ''}
                onChange={(e) => set('audience', { ...d.audience, source: e.target.value || undefined })}
              >
                <SourceOptions sources={options.sources} any={t('any')} />
              </Select>
            </Field>
            <Field id="d-batch" label={t('batch')}>
              <Select
                id="d-batch"
                value={d.audience.batch ? String(d.audience.batch) : ''}
                onChange={(e) => set('audience', { ...d.audience, batch: e.target.value ? Number(e.target.value) : undefined })}
              >
                <BatchOptions batches={options.batches} any={t('any')} />
              </Select>
            </Field>
            <Field id="d-ordered" label={t('orderedSince')}>
              <Input
                id="d-ordered"
                type="date"
                value={d.audience.orderedSince ?? ''}
                onChange={(e) => set('audience', { ...d.audience, orderedSince: e.target.value || undefined })}
              />
            </Field>
          </div>
          <p className="text-xs text-slate-500">{t('audienceHint')}</p>
        </section>

        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" disabled={pending}>
            {pending ? t('saving') : t('save')}
          </Button>
          {state && (
            <p role={state.ok ? 'status' : 'alert'} className={state.ok ? 'text-sm text-emerald-700' : 'text-sm font-medium text-red-700'}>
              {state.message}
            </p>
          )}
        </div>
      </div>

      <aside aria-label={a11y('draftAside')} className="space-y-4 lg:sticky lg:top-4 lg:self-start">
        <ChatPreview draft={template} promotional={review.promotional} title={t('preview')} kindLabel={kindLabel} />
        <section aria-live="polite" data-testid="checks">
          {review.issues.length === 0 ? (
            <Alert tone="success">{t('checksPass')}</Alert>
          ) : (
            <Alert tone="warning">
              <p className="font-medium">{t('checksFail', { count: review.issues.length })}</p>
              <ul className="mt-1 list-disc space-y-1 pl-5">
                {review.issues.map((i, n) => (
                  <li key={n} data-issue={i.code}>
                    {issueText(i)}
                  </li>
                ))}
              </ul>
            </Alert>
          )}
          {review.promotional.length > 0 && (
            <div className="mt-3 rounded-md bg-white p-3 text-sm ring-1 ring-slate-200" data-testid="promotional-words">
              <p className="font-medium text-slate-800">{t('promotionalTitle')}</p>
              <ul className="mt-1 flex flex-wrap gap-1.5">
                {review.promotional.map((m, n) => (
                  <li key={n}>
                    <mark className="rounded-sm bg-amber-200 px-1 text-slate-900">{m.text}</mark>{' '}
                    <span className="text-xs text-slate-500">{kindLabel(m.kind)}</span>
                  </li>
                ))}
              </ul>
            </div>
          )}
        </section>
        <p className="text-xs text-slate-500">
          {enums(`purpose.${d.category}`)} · WhatsApp {d.category === 'marketing' ? 'MARKETING' : 'UTILITY'}
        </p>
      </aside>
    </form>
  );
}
