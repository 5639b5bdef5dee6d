// Reading one row of a customer file against a mapping: the customer it describes, the consent events it carries,
// and what is wrong with it (errors reject the row, warnings do not).
import type { ConsentEvidence } from '@/db/schema';
import type { Channel, EventKind, Marketplace, Purpose } from '@/lib/consent';
import { isAmazonOrderSource, isAmazonRelayEmail } from '@/lib/consent/marketplace';
import type { Mapping, Target } from './fields';
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
const readAmazonSource = remembered(isAmazonOrderSource);

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
  | 'suppressed_contact'
  | 'erased_contact'
  | 'invalid_ip'
  | 'stray_quote';

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
  /** 'amazon' for an Amazon buyer: a relay e-mail address, or an order source naming Amazon. */
  marketplace: Marketplace | null;
};

export type RowConsent = { channel: Channel; purpose: Purpose; kind: EventKind; occurredAt: Date | null; evidence: ConsentEvidence };

export type ValidatedRow = { customer: RowCustomer; consents: RowConsent[]; errors: RowIssue[]; warnings: RowIssue[] };

// An IPv4 or IPv6 address as shops log it; anything else is not evidence of where consent came from.
const IP = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7})$/i;

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

/**
 * The reader of one file's rows: everything that depends only on the mapping and the file's settings is worked out
 * here, once, so that reading a row does no more than it must (a file may have a million of them).
 */
export function rowValidator(
  header: readonly string[],
  columns: Columns,
  markets: ReadonlySet<string>,
  options: ImportOptions,
  now: Date,
): (record: readonly string[]) => ValidatedRow {
  const at = (target: Target) => columns.get(target) ?? -1;
  const name = (i: number) => (i < 0 ? null : (header[i] ?? `#${i + 1}`));
  const col = {
    externalId: at('externalId'),
    firstName: at('firstName'),
    lastName: at('lastName'),
    email: at('email'),
    phone: at('phone'),
    market: at('market'),
    language: at('language'),
    lastOrderAt: at('lastOrderAt'),
    orderSource: at('orderSource'),
  };
  // A date or source column may serve one consent column, every purpose of a channel, or every consent column of the row.
  const consentColumns = CONSENT_KEYS.map(({ channel, purpose }) => {
    // The most specific first: the consent's own column, then its channel's, then the row's.
    const part = (name: 'date' | 'source') =>
      [at(`${channel}.${purpose}.${name}`), at(`${channel}.${name}`), at(`consent.${name}`)].filter((i) => i >= 0);
    return {
      channel,
      purpose,
      answer: at(`${channel}.${purpose}`),
      dates: part('date'),
      sources: part('source'),
      ip: at(`${channel}.${purpose}.ip`),
    };
  }).filter((c) => c.answer >= 0);
  const fileSource = clean(options.consentSource ?? undefined);
  const nowMs = now.getTime();

  const cellOf = (record: readonly string[], i: number) => (i < 0 ? undefined : (record[i] ?? ''));
  /** The first of the columns whose cell in this row is filled, or -1. */
  const filledOf = (record: readonly string[], columns: readonly number[]) => {
    for (const i of columns) if ((record[i] ?? '').trim() !== '') return i;
    return -1;
  };
  const readWhen = (record: readonly string[], i: number, errors: RowIssue[]): Date | null | 'bad' => {
    const v = clean(cellOf(record, i));
    // MySQL's zero date, which PrestaShop and WooCommerce export for "never", says no date.
    if (!v || v.startsWith('0000-00-00')) return null;
    const date = readDate(v);
    if (!date) {
      errors.push({ code: 'invalid_date', column: name(i), value: v });
      return 'bad';
    }
    if (date.getTime() > nowMs) {
      errors.push({ code: 'future_date', column: name(i), value: v });
      return 'bad';
    }
    return date;
  };

  return (record) => {
    const errors: RowIssue[] = [];
    const warnings: RowIssue[] = [];

    let market: string | null = null;
    const marketValue = clean(cellOf(record, col.market));
    if (marketValue) {
      market = readCountry(marketValue);
      if (!market) errors.push({ code: 'invalid_market', column: name(col.market), value: marketValue });
      else if (!markets.has(market)) {
        errors.push({ code: 'unknown_market', column: name(col.market), value: marketValue });
        market = null;
      }
    } else if (options.defaultMarket) market = options.defaultMarket;
    else errors.push({ code: 'missing_market', column: name(col.market), value: '' });

    let email: string | null = null;
    const emailValue = clean(cellOf(record, col.email));
    if (emailValue) {
      email = readEmail(emailValue);
      if (!email) errors.push({ code: 'invalid_email', column: name(col.email), value: emailValue });
    }

    let phone: string | null = null;
    const phoneValue = clean(cellOf(record, col.phone));
    if (phoneValue) {
      phone = readPhone(phoneValue, market);
      if (!phone) errors.push({ code: 'invalid_phone', column: name(col.phone), value: phoneValue });
    }

    let language: string | null = null;
    const languageValue = clean(cellOf(record, col.language));
    if (languageValue) {
      language = readLanguage(languageValue);
      if (!language) errors.push({ code: 'invalid_language', column: name(col.language), value: languageValue });
    }

    const lastOrder = readWhen(record, col.lastOrderAt, errors);

    const externalId = clean(clean(cellOf(record, col.externalId))?.replace(/^'/, ''));
    if (!externalId && !emailValue && !phoneValue) {
      errors.push({ code: 'no_identifier', column: null, value: '' });
    }

    const consents: RowConsent[] = [];
    // A consent whose source names an Amazon order came with an Amazon order: the row is an Amazon buyer's.
    let amazonConsent = false;
    // A shared date column is read (and its error reported) once per row, whatever the number of consents it serves.
    let datedColumn = -2;
    let dated: Date | null | 'bad' = null;
    for (const c of consentColumns) {
      const raw = record[c.answer] ?? '';
      const answer = readConsent(raw);
      if (answer === null) {
        errors.push({ code: 'invalid_consent', column: name(c.answer), value: raw.trim() });
        continue;
      }
      if (answer === 'none') continue;
      const dateColumn = filledOf(record, c.dates);
      if (dateColumn !== datedColumn) {
        datedColumn = dateColumn;
        dated = readWhen(record, dateColumn, errors);
      }
      const when = dated;
      if (when === 'bad') continue;
      const occurredAt = when ?? options.consentDate ?? null;
      const source = clean(cellOf(record, filledOf(record, c.sources))) ?? fileSource;
      if (source && readAmazonSource(source)) amazonConsent = true;
      const ipValue = c.ip < 0 ? null : clean(record[c.ip]);
      const ip = ipValue && IP.test(ipValue) ? ipValue : null;
      if (ipValue && !ip) warnings.push({ code: 'invalid_ip', column: name(c.ip), value: ipValue });
      if (answer === 'yes') {
        // Consent never comes from silence: without when and how it was given, the answer proves nothing.
        if (!occurredAt || !source) {
          warnings.push({ code: 'consent_without_evidence', column: name(c.answer), value: raw.trim() });
          continue;
        }
        consents.push({
          channel: c.channel,
          purpose: c.purpose,
          kind: 'granted',
          occurredAt,
          evidence: ip ? { proofReference: source, ip } : { proofReference: source },
        });
      } else {
        const evidence: ConsentEvidence = source ? { proofReference: source } : {};
        if (ip) evidence.ip = ip;
        consents.push({ channel: c.channel, purpose: c.purpose, kind: 'withdrawn', occurredAt, evidence });
      }
    }

    return {
      customer: {
        externalId,
        firstName: clean(cellOf(record, col.firstName)),
        lastName: clean(cellOf(record, col.lastName)),
        email,
        phone,
        market,
        language,
        lastOrderAt: lastOrder === 'bad' ? null : lastOrder,
        marketplace:
          isAmazonRelayEmail(email) || readAmazonSource(clean(cellOf(record, col.orderSource)) ?? '') || amazonConsent ? 'amazon' : null,
      },
      consents,
      errors,
      warnings,
    };
  };
}
