// The settings a person chooses for a dry run (format, column mapping, settings for the whole file), checked before
// the dry run is queued: a wrong one is told at once, not after the file has been read.
import type { Mapping } from './fields';
import { isTarget, mappingProblem } from './fields';
import type { CsvFormat } from './read';
import type { ImportSettings, StoredImportOptions } from './types';
import { readCountry } from './values';

export type SettingsInput = {
  format: CsvFormat;
  /** The target chosen for each column of the header, as sent ('' or an unknown value for none). */
  columns: string[];
  defaultMarket?: string;
  consentSource?: string;
  /** YYYY-MM-DD. */
  consentDate?: string;
};

export type SettingsFieldErrors = { defaultMarket?: 'market' | 'marketNeeded'; consentDate?: 'futureDate' };

export type SettingsCheck =
  | { ok: true; settings: ImportSettings }
  | { ok: false; problem: NonNullable<ReturnType<typeof mappingProblem>> }
  | { ok: false; fieldErrors: SettingsFieldErrors };

export function checkSettings(input: SettingsInput, now: Date = new Date()): SettingsCheck {
  const mapping: Mapping = input.columns.map((value) => (isTarget(value) ? value : null));
  const problem = mappingProblem(mapping);
  if (problem) return { ok: false, problem };
  const fieldErrors: SettingsFieldErrors = {};
  let defaultMarket: string | null = null;
  if (input.defaultMarket) {
    defaultMarket = readCountry(input.defaultMarket);
    if (!defaultMarket) fieldErrors.defaultMarket = 'market';
  }
  if (!mapping.includes('market') && !defaultMarket && !fieldErrors.defaultMarket) fieldErrors.defaultMarket = 'marketNeeded';
  const consentDate = input.consentDate ? new Date(`${input.consentDate}T00:00:00Z`) : null;
  if (consentDate && consentDate.getTime() > now.getTime()) fieldErrors.consentDate = 'futureDate';
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  return {
    ok: true,
    settings: { format: input.format, mapping, options: { defaultMarket, consentSource: input.consentSource || null, consentDate } },
  };
}

/** The settings of the last dry run as a batch keeps them, for running it again; null when none ran. */
export function storedSettings(stored: { format?: CsvFormat; mapping?: Mapping; options?: StoredImportOptions }): ImportSettings | null {
  if (!stored.format || !stored.mapping) return null;
  const options = stored.options ?? {};
  return {
    format: stored.format,
    mapping: stored.mapping,
    options: { ...options, consentDate: options.consentDate ? new Date(options.consentDate) : null },
  };
}
