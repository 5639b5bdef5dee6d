'use client';

import { useMemo, useState } from 'react';
import { useTranslations } from 'next-intl';
import type { ImportActionState } from '@/app/(dashboard)/customers/import/actions';
import { prepareImportAction } from '@/app/(dashboard)/customers/import/actions';
import { Alert } from '@/components/ui/alert';
import { Field, Input, Select } from '@/components/ui/field';
import { useKeptForm } from '@/components/ui/kept-form';
import { Button } from '@/components/ui/button';
import { CHANNELS } from '@/lib/consent';
import type { ColumnReading, Mapping, PresetId, Target } from '@/lib/import/fields';
import { CONSENT_KEYS, CUSTOMER_FIELDS, PRESET_IDS, detectPreset, readColumns, targetMeaning } from '@/lib/import/fields';
import type { CsvFormat } from '@/lib/import/read';

type Props = {
  batchId: number;
  format: CsvFormat;
  header: string[];
  preview: string[][];
  mapping: Mapping;
  options: { defaultMarket: string; consentSource: string; consentDate: string };
  markets: string[];
  /** Why the last dry run could not read the file with these settings, until the form is sent again. */
  problem: { message: string; lenient: boolean } | null;
};

const DELIMITER_KEYS = { ',': 'comma', ';': 'semicolon', '\t': 'tab' } as const;

/** Format, column mapping and settings for the whole file; runs the dry run. */
export function ImportSettingsForm({ batchId, format, header, preview, mapping: initial, options, markets, problem }: Props) {
  const t = useTranslations('import.format');
  const fields = useTranslations('import.fields');
  const marketplace = useTranslations('marketplace');
  const enums = useTranslations('enums');
  const tm = useTranslations('importMapping');
  const { state, onSubmit, pending } = useKeptForm<ImportActionState>(prepareImportAction);
  const [mapping, setMapping] = useState<Mapping>(initial);
  const [preset, setPreset] = useState<PresetId | ''>(detectPreset(header) ?? '');
  // What each column's header says, and why: read once per file (and per preset chosen), not per keystroke.
  const readings = useMemo(() => readColumns(header, preset || null, preview), [header, preset, preview]);
  const [encoding, setEncoding] = useState(format.encoding);
  const [delimiter, setDelimiter] = useState(format.delimiter);
  const [defaultMarket, setDefaultMarket] = useState(options.defaultMarket);
  const [consentSource, setConsentSource] = useState(options.consentSource);
  const [consentDate, setConsentDate] = useState(options.consentDate);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const formatChanged = encoding !== format.encoding || delimiter !== format.delimiter;
  const ignored = header.filter((_, i) => !mapping[i]);
  const consentIgnored = header.flatMap((h, i) => (!mapping[i] && readings[i]?.consentLike ? [h || `#${i + 1}`] : []));

  const label = (target: Target) => {
    const m = targetMeaning(target);
    if (m.kind === 'field') return m.field === 'orderSource' ? marketplace('orderSourceField') : fields(m.field);
    const channel = m.channel ? enums(`channel.${m.channel}`) : '';
    if (m.kind === 'part' && !m.channel) return tm(m.part === 'date' ? 'targets.allDate' : 'targets.allSource');
    if (m.kind === 'part' && !m.purpose) return tm(m.part === 'date' ? 'targets.channelDate' : 'targets.channelSource', { channel });
    const names = { channel, purpose: enums(`purpose.${m.purpose!}`).toLowerCase() };
    if (m.kind === 'answer') return t('consentValue', names);
    if (m.part === 'ip') return tm('targets.ip', names);
    return t(m.part === 'date' ? 'consentDateColumn' : 'consentSourceColumn', names);
  };

  /** The reason next to a column: why it got its proposed meaning, or why it has none. */
  const reason = (reading: ColumnReading | undefined, current: Target | null): string => {
    if (!reading) return '';
    if (current !== reading.target) return current ? tm('yours') : reading.consentLike ? tm('yours') : '';
    const why = reading.why;
    if (why.code === 'taken') return tm('reason.taken', { by: why.by });
    if (why.code !== 'mapped') return why.code === 'none' ? '' : tm(`reason.${why.code}`);
    const m = targetMeaning(reading.target!);
    const notes: string[] = [];
    if (m.kind === 'field') notes.push(fields(m.field));
    else {
      const channel = m.channel ? enums(`channel.${m.channel}`) : '';
      const purpose = m.purpose ? enums(`purpose.${m.purpose}`).toLowerCase() : '';
      if (m.kind === 'answer') notes.push(tm('reason.consent', { channel, purpose }));
      else {
        const scope = !m.channel
          ? tm('reason.scopeAll')
          : !m.purpose
            ? tm('reason.scopeChannel', { channel })
            : tm('reason.scopeKey', { channel, purpose });
        notes.push(tm(`reason.${m.part}`, { scope }));
      }
    }
    if (why.purposeAssumed) notes.push(tm('reason.purposeAssumed'));
    if (why.newsletter) notes.push(tm('reason.newsletter'));
    if (why.byValues) notes.push(tm('reason.byValues'));
    if (why.shared) notes.push(tm(m.kind === 'part' && m.part === 'source' ? 'reason.sharedSource' : 'reason.sharedDate'));
    if (why.preset && why.preset !== 'zgoda') notes.push(presetLabel(why.preset));
    return notes.join(' · ');
  };
  const presetLabel = (id: PresetId) => (id === 'prestashop' ? tm('prestashop') : t(`presets.${id}`));

  return (
    <form onSubmit={onSubmit} className="space-y-6" noValidate>
      <input type="hidden" name="batchId" value={batchId} />
      {/* First in the form, so that the intent of the button pressed (sent after it) is the one read. */}
      <input type="hidden" name="intent" value="dryrun" />
      <input type="hidden" name="relaxQuotes" value={format.relaxQuotes ? '1' : '0'} />
      {state ? (
        <Alert tone={state.ok ? 'success' : 'error'}>{state.message}</Alert>
      ) : (
        problem && <Alert tone="error">{problem.message}</Alert>
      )}
      {(state ? !state.ok && state.lenient : problem?.lenient) && (
        <Button type="submit" name="intent" value="lenient" variant="secondary" disabled={pending}>
          {tm('file.lenient')}
        </Button>
      )}
      {format.relaxQuotes && <Alert tone="info">{tm('file.lenientOn')}</Alert>}
      <div className="flex flex-wrap items-end gap-4">
        <div className="w-48">
          <Field id="encoding" label={t('encoding')}>
            <Select id="encoding" name="encoding" value={encoding} onChange={(e) => setEncoding(e.target.value as CsvFormat['encoding'])}>
              <option value="utf-8">UTF-8</option>
              <option value="windows-1250">Windows-1250</option>
              <option value="windows-1252">Windows-1252</option>
              <option value="iso-8859-2">ISO-8859-2</option>
            </Select>
          </Field>
        </div>
        <div className="w-48">
          <Field id="delimiter" label={t('delimiter')}>
            <Select
              id="delimiter"
              name="delimiter"
              value={delimiter}
              onChange={(e) => setDelimiter(e.target.value as CsvFormat['delimiter'])}
            >
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
                setMapping(readColumns(header, id || null, preview).map((r) => r.target));
              }}
            >
              <option value="">{t('presetNone')}</option>
              {PRESET_IDS.map((id) => (
                <option key={id} value={id}>
                  {presetLabel(id)}
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
              <th scope="col" className="px-3 py-2">
                {t('column')}
              </th>
              <th scope="col" className="px-3 py-2">
                {t('sample')}
              </th>
              <th scope="col" className="px-3 py-2">
                {t('target')}
              </th>
              <th scope="col" className="px-3 py-2">
                {tm('reasonColumn')}
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 bg-white">
            {header.map((column, i) => {
              const warn = !mapping[i] && readings[i]?.consentLike;
              return (
                <tr key={i} className={warn ? 'bg-amber-50' : undefined}>
                  <th scope="row" className="px-3 py-2 text-left font-medium text-slate-900">
                    {column || `#${i + 1}`}
                  </th>
                  <td className="max-w-[14rem] truncate px-3 py-2 text-slate-600">
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
                      className="min-w-[19rem]"
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
                          (['', '.date', '.source', '.ip'] as const).map((part) => {
                            const target = `${channel}.${purpose}${part}` as Target;
                            return (
                              <option key={target} value={target}>
                                {label(target)}
                              </option>
                            );
                          }),
                        )}
                      </optgroup>
                      <optgroup label={tm('targets.sharedGroup')}>
                        {(['consent', ...CHANNELS] as const).flatMap((scope) =>
                          (['date', 'source'] as const).map((part) => {
                            const target = `${scope}.${part}` as Target;
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
                  <td
                    className={`max-w-xs px-3 py-2 text-xs ${warn ? 'text-amber-900' : readings[i]?.consentLike && mapping[i] ? 'text-emerald-800' : 'text-slate-600'}`}
                    data-testid="column-reason"
                  >
                    {warn && (
                      <span className="mr-1 font-semibold text-amber-800" aria-hidden="true">
                        ⚠
                      </span>
                    )}
                    {reason(readings[i], mapping[i] ?? null)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {consentIgnored.length > 0 && (
        <Alert tone="warning">
          <span data-testid="consent-ignored">
            {tm('consentIgnored', { count: consentIgnored.length, columns: consentIgnored.join(', ') })}
          </span>
        </Alert>
      )}
      <p className="text-sm text-slate-600" data-testid="ignored-columns">
        {ignored.length > 0 ? t('ignored', { columns: ignored.join(', ') }) : t('noneIgnored')}
      </p>

      <fieldset className="space-y-3">
        <legend className="text-sm font-semibold text-slate-900">{t('wholeFile')}</legend>
        <div className="grid gap-4 md:grid-cols-3">
          <Field id="defaultMarket" label={t('defaultMarket')} error={errors?.defaultMarket}>
            <Select
              id="defaultMarket"
              name="defaultMarket"
              value={defaultMarket}
              onChange={(e) => setDefaultMarket(e.target.value)}
              error={errors?.defaultMarket}
            >
              <option value="">{t('defaultMarketNone')}</option>
              {markets.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </Select>
          </Field>
          <Field id="consentSource" label={t('consentSource')} hint={t('consentSourceHint')}>
            <Input
              id="consentSource"
              name="consentSource"
              value={consentSource}
              maxLength={300}
              onChange={(e) => setConsentSource(e.target.value)}
            />
          </Field>
          <Field id="consentDate" label={t('consentDate')} error={errors?.consentDate} hint={t('consentDateHint')}>
            <Input
              id="consentDate"
              name="consentDate"
              type="date"
              value={consentDate}
              onChange={(e) => setConsentDate(e.target.value)}
              error={errors?.consentDate}
            />
          </Field>
        </div>
      </fieldset>
      <Button type="submit" disabled={pending}>
        {pending ? t('checking') : t('dryRun')}
      </Button>
    </form>
  );
}
