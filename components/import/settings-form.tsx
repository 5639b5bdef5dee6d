'use client';

import { useState } from 'react';
import { useTranslations } from 'next-intl';
import type { ImportActionState } from '@/app/(dashboard)/customers/import/actions';
import { prepareImportAction } from '@/app/(dashboard)/customers/import/actions';
import { Alert } from '@/components/ui/alert';
import { Field, Input, Select } from '@/components/ui/field';
import { useKeptForm } from '@/components/ui/kept-form';
import { Button } from '@/components/ui/button';
import type { Mapping, PresetId, Target } from '@/lib/import/fields';
import { CONSENT_KEYS, CUSTOMER_FIELDS, PRESET_IDS, detectPreset, guessMapping } from '@/lib/import/fields';
import type { CsvFormat } from '@/lib/import/read';

type Props = {
  batchId: number;
  format: CsvFormat;
  header: string[];
  preview: string[][];
  mapping: Mapping;
  options: { defaultMarket: string; consentSource: string; consentDate: string };
  markets: string[];
};

const DELIMITER_KEYS = { ',': 'comma', ';': 'semicolon', '\t': 'tab' } as const;

/** Format, column mapping and settings for the whole file; runs the dry run. */
export function ImportSettingsForm({ batchId, format, header, preview, mapping: initial, options, markets }: Props) {
  const t = useTranslations('import.format');
  const fields = useTranslations('import.fields');
  const marketplace = useTranslations('marketplace');
  const enums = useTranslations('enums');
  const { state, onSubmit, pending } = useKeptForm<ImportActionState>(prepareImportAction);
  const [mapping, setMapping] = useState<Mapping>(initial);
  const [encoding, setEncoding] = useState(format.encoding);
  const [delimiter, setDelimiter] = useState(format.delimiter);
  const [preset, setPreset] = useState<PresetId | ''>(detectPreset(header) ?? '');
  const [defaultMarket, setDefaultMarket] = useState(options.defaultMarket);
  const [consentSource, setConsentSource] = useState(options.consentSource);
  const [consentDate, setConsentDate] = useState(options.consentDate);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const formatChanged = encoding !== format.encoding || delimiter !== format.delimiter;
  const ignored = header.filter((_, i) => !mapping[i]);

  const label = (target: Target) => {
    if (target === 'orderSource') return marketplace('orderSourceField');
    if ((CUSTOMER_FIELDS as readonly string[]).includes(target)) return fields(target as Exclude<(typeof CUSTOMER_FIELDS)[number], 'orderSource'>);
    const [channel, purpose, part] = target.split('.') as [string, string, string | undefined];
    const names = { channel: enums(`channel.${channel}`), purpose: enums(`purpose.${purpose}`).toLowerCase() };
    return t(part === 'date' ? 'consentDateColumn' : part === 'source' ? 'consentSourceColumn' : 'consentValue', names);
  };

  return (
    <form onSubmit={onSubmit} className="space-y-6" noValidate>
      <input type="hidden" name="batchId" value={batchId} />
      {state && <Alert tone={state.ok ? 'success' : 'error'}>{state.message}</Alert>}
      <div className="flex flex-wrap items-end gap-4">
        <div className="w-48">
          <Field id="encoding" label={t('encoding')}>
            <Select id="encoding" name="encoding" value={encoding} onChange={(e) => setEncoding(e.target.value as CsvFormat['encoding'])}>
              <option value="utf-8">UTF-8</option>
              <option value="windows-1250">Windows-1250</option>
              <option value="iso-8859-2">ISO-8859-2</option>
            </Select>
          </Field>
        </div>
        <div className="w-48">
          <Field id="delimiter" label={t('delimiter')}>
            <Select id="delimiter" name="delimiter" value={delimiter} onChange={(e) => setDelimiter(e.target.value as CsvFormat['delimiter'])}>
              {Object.entries(DELIMITER_KEYS).map(([value, key]) => (
                <option key={key} value={value}>
                  {t(key)}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        <Button type="submit" name="intent" value="reread" variant="secondary" disabled={!formatChanged || pending}>
          {t('reread')}
        </Button>
        <div className="w-64">
          <Field id="preset" label={t('preset')}>
            <Select
              id="preset"
              value={preset}
              onChange={(e) => {
                const id = e.target.value as PresetId | '';
                setPreset(id);
                setMapping(guessMapping(header, id || null));
              }}
            >
              <option value="">{t('presetNone')}</option>
              {PRESET_IDS.map((id) => (
                <option key={id} value={id}>
                  {t(`presets.${id}`)}
                </option>
              ))}
            </Select>
          </Field>
        </div>
      </div>

      <div className="overflow-x-auto rounded-lg ring-1 ring-slate-200">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" className="px-3 py-2">{t('column')}</th>
              <th scope="col" className="px-3 py-2">{t('sample')}</th>
              <th scope="col" className="px-3 py-2">{t('target')}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 bg-white">
            {header.map((column, i) => (
              <tr key={i}>
                <th scope="row" className="px-3 py-2 text-left font-medium text-slate-900">
                  {column || `#${i + 1}`}
                </th>
                <td className="max-w-xs truncate px-3 py-2 text-slate-600">
                  {preview
                    .map((r) => r[i] ?? '')
                    .filter(Boolean)
                    .slice(0, 3)
                    .join(' · ')}
                </td>
                <td className="px-3 py-2">
                  <label className="sr-only" htmlFor={`map_${i}`}>
                    {t('target')}: {column}
                  </label>
                  <Select
                    id={`map_${i}`}
                    name={`map_${i}`}
                    value={mapping[i] ?? ''}
                    onChange={(e) => setMapping(mapping.map((m, j) => (j === i ? ((e.target.value || null) as Target | null) : m)))}
                  >
                    <option value="">{t('ignore')}</option>
                    <optgroup label={t('customerFields')}>
                      {CUSTOMER_FIELDS.map((f) => (
                        <option key={f} value={f}>
                          {label(f)}
                        </option>
                      ))}
                    </optgroup>
                    <optgroup label={t('consentFields')}>
                      {CONSENT_KEYS.flatMap(({ channel, purpose }) =>
                        (['', '.date', '.source'] as const).map((part) => {
                          const target = `${channel}.${purpose}${part}` as Target;
                          return (
                            <option key={target} value={target}>
                              {label(target)}
                            </option>
                          );
                        }),
                      )}
                    </optgroup>
                  </Select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="text-sm text-slate-600" data-testid="ignored-columns">
        {ignored.length > 0 ? t('ignored', { columns: ignored.join(', ') }) : t('noneIgnored')}
      </p>

      <fieldset className="space-y-3">
        <legend className="text-sm font-semibold text-slate-900">{t('wholeFile')}</legend>
        <div className="grid gap-4 md:grid-cols-3">
          <Field id="defaultMarket" label={t('defaultMarket')} error={errors?.defaultMarket}>
            <Select id="defaultMarket" name="defaultMarket" value={defaultMarket} onChange={(e) => setDefaultMarket(e.target.value)} error={errors?.defaultMarket}>
              <option value="">{t('defaultMarketNone')}</option>
              {markets.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </Select>
          </Field>
          <Field id="consentSource" label={t('consentSource')} hint={t('consentSourceHint')}>
            <Input id="consentSource" name="consentSource" value={consentSource} maxLength={300} onChange={(e) => setConsentSource(e.target.value)} />
          </Field>
          <Field id="consentDate" label={t('consentDate')} error={errors?.consentDate} hint={t('consentDateHint')}>
            <Input id="consentDate" name="consentDate" type="date" value={consentDate} onChange={(e) => setConsentDate(e.target.value)} error={errors?.consentDate} />
          </Field>
        </div>
      </fieldset>
      <input type="hidden" name="intent" value="dryrun" />
      <Button type="submit" disabled={pending}>
        {pending ? t('checking') : t('dryRun')}
      </Button>
    </form>
  );
}
