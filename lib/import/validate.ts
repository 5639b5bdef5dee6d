// Reading one row of a customer file against a mapping: the customer it describes, the consent events it carries,
// and what is wrong with it (errors reject the row, warnings do not).
import type { ConsentEvidence } from '@/db/schema';
import type { Channel, EventKind, Purpose } from '@/lib/consent';
import type { CustomerField, Mapping, Target } from './fields';
import { CONSENT_KEYS } from './fields';
import * as values from './values';
import { readEmail, readPhone } from './values';

// Columns such as countries, answers, languages and dates repeat the same few values over a million rows: read each once.
function remembered<T>(read: (value: string) => T, limit = 10_000): (value: string) => T {
  const seen = new Map<string, T>();
  return (value) => {
    let result = seen.get(value);
    if (result === undefined && !seen.has(value)) {
      result = read(value);
      if (seen.size < limit) seen.set(value, result);
    }
    return result as T;
  };
}
const readConsent = remembered(values.readConsent);
const readCountry = remembered(values.readCountry);
const readLanguage = remembered(values.readLanguage);
const readDate = remembered(values.readDate);

/** Settings for the whole file, stated by the person importing it. */
export type ImportOptions = {
  /** Market for rows without a market column or value. */
  defaultMarket?: string | null;
  /** How consent was collected, for consent columns without a source column ("checkout checkbox, form v3"). */
  consentSource?: string | null;
  /** When consent was given, for consent columns without a date column. */
  consentDate?: Date | null;
};

export type RowIssueCode =
  | 'invalid_email'
  | 'invalid_phone'
  | 'invalid_market'
  | 'unknown_market'
  | 'missing_market'
  | 'invalid_language'
  | 'invalid_date'
  | 'future_date'
  | 'invalid_consent'
  | 'no_identifier'
  | 'duplicate_external_id'
  | 'duplicate_email'
  | 'duplicate_phone'
  | 'consent_without_evidence'
  | 'suppressed_contact';

export type RowIssue = { code: RowIssueCode; column: string | null; value: string; otherRow?: number };

export type RowCustomer = {
  externalId: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  market: string | null;
  language: string | null;
  lastOrderAt: Date | null;
};

export type RowConsent = { channel: Channel; purpose: Purpose; kind: EventKind; occurredAt: Date | null; evidence: ConsentEvidence };

export type ValidatedRow = { customer: RowCustomer; consents: RowConsent[]; errors: RowIssue[]; warnings: RowIssue[] };

const clean = (value: string | undefined) => {
  const v = (value ?? '').trim();
  return v === '' ? null : v;
};

/** Column positions per target, computed once per file. */
export type Columns = Map<Target, number>;

export function columnsOf(mapping: Mapping): Columns {
  const columns: Columns = new Map();
  mapping.forEach((target, i) => {
    if (target) columns.set(target, i);
  });
  return columns;
}

export function validateRow(
  record: readonly string[],
  header: readonly string[],
  columns: Columns,
  markets: ReadonlySet<string>,
  options: ImportOptions,
  now: Date,
): ValidatedRow {
  const errors: RowIssue[] = [];
  const warnings: RowIssue[] = [];
  const cell = (target: Target) => {
    const i = columns.get(target);
    return i === undefined ? undefined : { column: header[i] ?? `#${i + 1}`, value: record[i] ?? '' };
  };
  const text = (field: CustomerField) => clean(cell(field)?.value);

  let market: string | null = null;
  const marketCell = cell('market');
  const marketValue = clean(marketCell?.value);
  if (marketValue) {
    market = readCountry(marketValue);
    if (!market) errors.push({ code: 'invalid_market', column: marketCell!.column, value: marketValue });
    else if (!markets.has(market)) {
      errors.push({ code: 'unknown_market', column: marketCell!.column, value: marketValue });
      market = null;
    }
  } else if (options.defaultMarket) market = options.defaultMarket;
  else errors.push({ code: 'missing_market', column: marketCell?.column ?? null, value: '' });

  let email: string | null = null;
  const emailCell = cell('email');
  const emailValue = clean(emailCell?.value);
  if (emailValue) {
    email = readEmail(emailValue);
    if (!email) errors.push({ code: 'invalid_email', column: emailCell!.column, value: emailValue });
  }

  let phone: string | null = null;
  const phoneCell = cell('phone');
  const phoneValue = clean(phoneCell?.value);
  if (phoneValue) {
    phone = readPhone(phoneValue, market);
    if (!phone) errors.push({ code: 'invalid_phone', column: phoneCell!.column, value: phoneValue });
  }

  let language: string | null = null;
  const languageCell = cell('language');
  const languageValue = clean(languageCell?.value);
  if (languageValue) {
    language = readLanguage(languageValue);
    if (!language) errors.push({ code: 'invalid_language', column: languageCell!.column, value: languageValue });
  }

  const readWhen = (target: Target): Date | null | 'bad' => {
    const c = cell(target);
    const v = clean(c?.value);
    if (!v) return null;
    const date = readDate(v);
    if (!date) {
      errors.push({ code: 'invalid_date', column: c!.column, value: v });
      return 'bad';
    }
    if (date.getTime() > now.getTime()) {
      errors.push({ code: 'future_date', column: c!.column, value: v });
      return 'bad';
    }
    return date;
  };
  const lastOrder = readWhen('lastOrderAt');

  const externalId = clean(text('externalId')?.replace(/^'/, ''));
  if (!externalId && !emailValue && !phoneValue) {
    errors.push({ code: 'no_identifier', column: null, value: '' });
  }

  const consents: RowConsent[] = [];
  for (const { channel, purpose } of CONSENT_KEYS) {
    const answerCell = cell(`${channel}.${purpose}`);
    if (!answerCell) continue;
    const answer = readConsent(answerCell.value);
    if (answer === null) {
      errors.push({ code: 'invalid_consent', column: answerCell.column, value: answerCell.value.trim() });
      continue;
    }
    if (answer === 'none') continue;
    const when = readWhen(`${channel}.${purpose}.date`);
    if (when === 'bad') continue;
    const occurredAt = when ?? options.consentDate ?? null;
    const source = clean(cell(`${channel}.${purpose}.source`)?.value) ?? clean(options.consentSource ?? undefined);
    if (answer === 'yes') {
      // Consent never comes from silence: without when and how it was given, the answer proves nothing.
      if (!occurredAt || !source) {
        warnings.push({ code: 'consent_without_evidence', column: answerCell.column, value: answerCell.value.trim() });
        continue;
      }
      consents.push({ channel, purpose, kind: 'granted', occurredAt, evidence: { proofReference: source } });
    } else {
      consents.push({ channel, purpose, kind: 'withdrawn', occurredAt, evidence: source ? { proofReference: source } : {} });
    }
  }

  return {
    customer: {
      externalId,
      firstName: text('firstName'),
      lastName: text('lastName'),
      email,
      phone,
      market,
      language,
      lastOrderAt: lastOrder === 'bad' ? null : lastOrder,
    },
    consents,
    errors,
    warnings,
  };
}
