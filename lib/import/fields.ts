// What a column of a customer file can mean, the presets for the files shops export, and guessing the mapping.
import type { Channel, Purpose } from '@/lib/consent';
import { CHANNELS, PURPOSES } from '@/lib/consent';
import { readConsent } from './answers';
import { fold } from './fold';
import { headerWords, readHeaderMeaning } from './headers';

export const CUSTOMER_FIELDS = [
  'externalId',
  'firstName',
  'lastName',
  'email',
  'phone',
  'market',
  'language',
  'lastOrderAt',
  'orderSource',
] as const;
export type CustomerField = (typeof CUSTOMER_FIELDS)[number];

/** A part of a consent other than the answer: when and how it was given, and the IP it was given from. */
export type ConsentPart = 'date' | 'source' | 'ip';
export type ConsentKey = `${Channel}.${Purpose}`;

/**
 * A consent column: `whatsapp.marketing` (the answer), `whatsapp.marketing.date`, `.source` or `.ip`; a date or source
 * for every purpose of one channel (`whatsapp.date`), or for every consent column of the row (`consent.date`).
 */
export type ConsentTarget =
  ConsentKey | `${ConsentKey}.${ConsentPart}` | `${Channel}.${'date' | 'source'}` | `consent.${'date' | 'source'}`;
export type Target = CustomerField | ConsentTarget;

export const CONSENT_KEYS = CHANNELS.flatMap((channel) => PURPOSES.map((purpose) => ({ channel, purpose })));
export const SHARED_TARGETS: ConsentTarget[] = [
  'consent.date',
  'consent.source',
  ...CHANNELS.flatMap((channel) => [`${channel}.date`, `${channel}.source`] as ConsentTarget[]),
];
export const TARGETS: Target[] = [
  ...CUSTOMER_FIELDS,
  ...CONSENT_KEYS.flatMap(
    ({ channel, purpose }) =>
      [
        `${channel}.${purpose}`,
        `${channel}.${purpose}.date`,
        `${channel}.${purpose}.source`,
        `${channel}.${purpose}.ip`,
      ] as ConsentTarget[],
  ),
  ...SHARED_TARGETS,
];

/** What a target holds: a customer field, a consent answer, or a part of the consents it serves. */
export type TargetMeaning =
  | { kind: 'field'; field: CustomerField }
  | { kind: 'answer'; channel: Channel; purpose: Purpose }
  | { kind: 'part'; part: ConsentPart; channel: Channel | null; purpose: Purpose | null };

export function targetMeaning(target: Target): TargetMeaning {
  const [first, second, third] = target.split('.') as [string, string | undefined, string | undefined];
  if (second === undefined) return { kind: 'field', field: first as CustomerField };
  if (first === 'consent') return { kind: 'part', part: second as ConsentPart, channel: null, purpose: null };
  if (third !== undefined) return { kind: 'part', part: third as ConsentPart, channel: first as Channel, purpose: second as Purpose };
  if (second === 'date' || second === 'source') return { kind: 'part', part: second, channel: first as Channel, purpose: null };
  return { kind: 'answer', channel: first as Channel, purpose: second as Purpose };
}

export function isTarget(value: string): value is Target {
  return (TARGETS as string[]).includes(value);
}

/** The target of each column, by position; null for a column that is ignored. */
export type Mapping = Array<Target | null>;

export const IDENTIFIERS: CustomerField[] = ['externalId', 'email', 'phone'];

export const PRESET_IDS = ['zgoda', 'shopify', 'woocommerce', 'prestashop'] as const;
export type PresetId = (typeof PRESET_IDS)[number];

/** Zgoda's own template: snake_case columns, consent as `<channel>_<purpose>` with `_date` and `_source`. */
export const TEMPLATE_COLUMNS: Array<{ header: string; target: Target; example: string }> = [
  { header: 'external_id', target: 'externalId', example: 'SHOP-10042' },
  { header: 'first_name', target: 'firstName', example: 'Anna' },
  { header: 'last_name', target: 'lastName', example: 'Nowak' },
  { header: 'email', target: 'email', example: 'anna.nowak@example.pl' },
  { header: 'phone', target: 'phone', example: '600 123 456' },
  { header: 'market', target: 'market', example: 'PL' },
  { header: 'language', target: 'language', example: 'pl' },
  { header: 'last_order_at', target: 'lastOrderAt', example: '2026-10-03' },
  ...CONSENT_KEYS.flatMap(({ channel, purpose }) => {
    const given = channel === 'email' && purpose === 'marketing';
    return [
      {
        header: `${channel}_${purpose}`,
        target: `${channel}.${purpose}` as Target,
        example: given ? 'yes' : channel === 'whatsapp' && purpose === 'marketing' ? 'no' : '',
      },
      { header: `${channel}_${purpose}_date`, target: `${channel}.${purpose}.date` as Target, example: given ? '2026-03-14' : '' },
      {
        header: `${channel}_${purpose}_source`,
        target: `${channel}.${purpose}.source` as Target,
        example: given ? 'checkout checkbox, form v3' : '',
      },
    ];
  }),
];

/** A column a preset knows and leaves out on purpose, and why. */
export type PresetIgnore = { ignore: 'partner' | 'shop_language_id' | 'address_phone' };

export const PRESETS: Record<PresetId, Record<string, Target | PresetIgnore>> = {
  zgoda: Object.fromEntries(TEMPLATE_COLUMNS.map((c) => [c.header, c.target])),
  // Shopify's customer export (Customers > Export): its consent columns say yes or no, with no date or source.
  shopify: {
    'Customer ID': 'externalId',
    'First Name': 'firstName',
    'Last Name': 'lastName',
    Email: 'email',
    'Accepts Email Marketing': 'email.marketing',
    // Exports from before Shopify split e-mail and SMS marketing: it meant e-mail.
    'Accepts Marketing': 'email.marketing',
    'Default Address Country Code': 'market',
    'Default Address Phone': { ignore: 'address_phone' },
    Phone: 'phone',
    'Accepts SMS Marketing': 'sms.marketing',
  },
  woocommerce: {
    customer_id: 'externalId',
    first_name: 'firstName',
    last_name: 'lastName',
    email: 'email',
    billing_phone: 'phone',
    billing_country: 'market',
    last_order_date: 'lastOrderAt',
  },
  // PrestaShop's customer table (ps_customer, as SQL manager or module exports write it) and its back office export.
  prestashop: {
    id_customer: 'externalId',
    firstname: 'firstName',
    lastname: 'lastName',
    email: 'email',
    newsletter: 'email.marketing',
    newsletter_date_add: 'email.marketing.date',
    ip_registration_newsletter: 'email.marketing.ip',
    // Consent to the partners' offers, not to the shop's own marketing.
    optin: { ignore: 'partner' },
    // A number of the shop's own language table, not a language code.
    id_lang: { ignore: 'shop_language_id' },
    ID: 'externalId',
    'First name': 'firstName',
    'Last name': 'lastName',
    'Email address': 'email',
    Newsletter: 'email.marketing',
    'News.': 'email.marketing',
    'Partner offers': { ignore: 'partner' },
    'Opt.': { ignore: 'partner' },
  },
};

const fold2 = (header: string) =>
  fold(header)
    .replace(/^'/, '')
    .replace(/[\s_]+/g, ' ');

/** The preset whose columns the header matches best (at least three of them), or null. */
export function detectPreset(header: readonly string[]): PresetId | null {
  let best: PresetId | null = null;
  let bestHits = 2;
  for (const id of PRESET_IDS) {
    const columns = new Set(Object.keys(PRESETS[id]).map(fold2));
    const hits = header.filter((h) => columns.has(fold2(h))).length;
    if (hits > bestHits) {
      best = id;
      bestHits = hits;
    }
  }
  return best;
}

/** Why a column gets its proposed meaning, or none. */
export type ColumnWhy =
  | {
      code: 'mapped';
      preset?: PresetId;
      /** The header names no purpose: marketing is assumed. */
      purposeAssumed?: boolean;
      newsletter?: boolean;
      /** A bare "Datum" or "Source", the file's one date or source column, serving all its consents. */
      shared?: boolean;
      /** The column's first values are yes and no: the channel's consent, not its address. */
      byValues?: boolean;
    }
  | {
      code:
        | 'no_channel'
        | 'several_channels'
        | 'several_purposes'
        | 'opt_out'
        | 'partner'
        | 'terms'
        | 'shop_language_id'
        | 'address_phone'
        | 'none';
    }
  | { code: 'taken'; by: string };

/** The proposed meaning of a column, why, and whether it looks like consent (and so must not be dropped unnoticed). */
export type ColumnReading = { target: Target | null; why: ColumnWhy; consentLike: boolean };

type Draft =
  | { target: Target; why: ColumnWhy; late?: boolean }
  | { later: 'channel'; channel: Channel; purpose: Purpose | null; part: ConsentPart; why: ColumnWhy }
  | { later: 'ip'; why: ColumnWhy }
  | { later: 'bare'; part: 'date' | 'source' }
  | { reading: ColumnReading };

const CHANNEL_WORDS: Array<[Channel, RegExp]> = [
  ['email', /^(email|mail|newsletter)/],
  ['sms', /^sms/],
  ['whatsapp', /^(whatsapp|wa$)/],
  ['phone', /^(telefon|phone|telephone|tel$)/],
];

/** A channel named by the header, when its first values are all yes or no (a "WhatsApp" column of tak and nie). */
function channelByValues(header: string, values: readonly string[]): Channel | null {
  const filled = values.map((v) => v.trim()).filter(Boolean);
  if (filled.length === 0 || !filled.every((v) => readConsent(v) !== null)) return null;
  const words = headerWords(header);
  const found = CHANNEL_WORDS.filter(([, re]) => words.some((w) => re.test(w))).map(([c]) => c);
  return found.length === 1 ? found[0]! : null;
}

function draftOf(
  header: string,
  preset: Map<string, Target | PresetIgnore>,
  template: Map<string, Target>,
  values: readonly string[],
  presetId: PresetId | null,
): Draft {
  const key = fold2(header);
  const known = preset.get(key);
  if (known !== undefined) {
    if (typeof known === 'string') return { target: known, why: { code: 'mapped', preset: presetId ?? undefined } };
    return { reading: { target: null, why: { code: known.ignore }, consentLike: known.ignore === 'partner' } };
  }
  const fromTemplate = template.get(key);
  if (fromTemplate) return { target: fromTemplate, why: { code: 'mapped', preset: 'zgoda' } };
  const meaning = readHeaderMeaning(header);
  if (meaning.kind !== 'consent' && meaning.kind !== 'unclear' && meaning.kind !== 'terms') {
    const channel = channelByValues(header, values);
    if (channel) return { target: `${channel}.marketing`, why: { code: 'mapped', purposeAssumed: true, byValues: true } };
  }
  switch (meaning.kind) {
    case 'field':
      return { target: meaning.field, why: { code: 'mapped' } };
    case 'bare':
      return { later: 'bare', part: meaning.part };
    case 'unclear':
      return { reading: { target: null, why: { code: meaning.why }, consentLike: true } };
    case 'terms':
      return { reading: { target: null, why: { code: 'terms' }, consentLike: false } };
    case 'none':
      return { reading: { target: null, why: { code: 'none' }, consentLike: false } };
    case 'consent': {
      const why: ColumnWhy = {
        code: 'mapped',
        purposeAssumed: meaning.purposeAssumed || undefined,
        newsletter: meaning.newsletter || undefined,
      };
      const { channel, purpose, part } = meaning;
      if (part === 'answer') return { target: `${channel!}.${purpose!}`, why };
      if (part === 'ip') return channel && purpose ? { target: `${channel}.${purpose}.ip`, why } : { later: 'ip', why };
      if (!channel) return { target: `consent.${part}`, why };
      if (purpose) return { target: `${channel}.${purpose}.${part}`, why };
      return { later: 'channel', channel, purpose, part, why };
    }
  }
}

/**
 * What each column of a file means, read from its header (and, for a bare channel name, its first values), with the
 * reason: the preset's columns first, then the words of the headers. Each meaning is given to one column; a date or
 * source that names a channel but no purpose serves that channel's one consent column, or all of them.
 */
export function readColumns(
  header: readonly string[],
  preset: PresetId | null,
  preview: readonly (readonly string[])[] = [],
): ColumnReading[] {
  const presetColumns = new Map(preset ? Object.entries(PRESETS[preset]).map(([h, t]) => [fold2(h), t] as const) : []);
  const templateColumns = new Map(TEMPLATE_COLUMNS.map((c) => [fold2(c.header), c.target]));
  const drafts = header.map((h, i) =>
    draftOf(
      h,
      presetColumns,
      templateColumns,
      preview.map((r) => r[i] ?? ''),
      preset,
    ),
  );
  const readings: Array<ColumnReading | null> = drafts.map(() => null);
  const used = new Map<Target, string>();
  const give = (i: number, target: Target, why: ColumnWhy) => {
    const by = used.get(target);
    const consentLike = targetMeaning(target).kind !== 'field';
    if (by !== undefined) readings[i] = { target: null, why: { code: 'taken', by }, consentLike };
    else {
      used.set(target, header[i] ?? `#${i + 1}`);
      readings[i] = { target, why, consentLike };
    }
  };
  // Answers first: which consents the file holds decides what its dates and sources serve.
  drafts.forEach((d, i) => {
    if ('reading' in d) readings[i] = d.reading;
    else if ('target' in d && targetMeaning(d.target).kind !== 'part') give(i, d.target, d.why);
  });
  const answers = [...used.keys()].map(targetMeaning).filter((m): m is Extract<TargetMeaning, { kind: 'answer' }> => m.kind === 'answer');
  drafts.forEach((d, i) => {
    if ('target' in d && targetMeaning(d.target).kind === 'part') give(i, d.target, d.why);
  });
  drafts.forEach((d, i) => {
    if (!('later' in d) || d.later === 'bare') return;
    const candidates = d.later === 'channel' ? answers.filter((a) => a.channel === d.channel) : answers;
    const only = candidates.length === 1 ? candidates[0]! : null;
    if (d.later === 'channel') give(i, (only ? `${only.channel}.${only.purpose}.${d.part}` : `${d.channel}.${d.part}`) as Target, d.why);
    else if (only) give(i, `${only.channel}.${only.purpose}.ip`, d.why);
    else readings[i] = { target: null, why: { code: 'no_channel' }, consentLike: true };
  });
  // A bare "Datum" or "Quelle" serves the file's consents only when nothing more specific claimed the meaning.
  drafts.forEach((d, i) => {
    if (!('later' in d) || d.later !== 'bare') return;
    if (answers.length === 0) readings[i] = { target: null, why: { code: 'none' }, consentLike: false };
    else if (used.has(`consent.${d.part}`)) readings[i] = { target: null, why: { code: 'none' }, consentLike: false };
    else give(i, `consent.${d.part}`, { code: 'mapped', shared: true });
  });
  return readings.map((r) => r ?? { target: null, why: { code: 'none' }, consentLike: false });
}

/** A mapping for a header: the preset's columns first, then what the headers say; each target is used once. */
export function guessMapping(header: readonly string[], preset: PresetId | null, preview: readonly (readonly string[])[] = []): Mapping {
  return readColumns(header, preset, preview).map((r) => r.target);
}

/** The columns that look like consent but that a mapping leaves out: they must not go unnoticed. */
export function ignoredConsentColumns(header: readonly string[], mapping: Mapping, preview: readonly (readonly string[])[] = []): string[] {
  const readings = readColumns(header, detectPreset(header), preview);
  return header.flatMap((h, i) => (mapping[i] == null && readings[i]?.consentLike ? [h || `#${i + 1}`] : []));
}

/** The mapping to offer: the one last used for this header, or a guess. */
export function initialMapping(header: readonly string[], saved?: Mapping, preview: readonly (readonly string[])[] = []): Mapping {
  return saved && saved.length === header.length ? saved : guessMapping(header, detectPreset(header), preview);
}

/** Problems with a mapping as a whole: a target used twice, or no column that identifies a customer. */
export function mappingProblem(mapping: Mapping): 'no_identifier' | 'duplicate_target' | null {
  const targets = mapping.filter((t): t is Target => t !== null);
  if (new Set(targets).size !== targets.length) return 'duplicate_target';
  if (!targets.some((t) => (IDENTIFIERS as string[]).includes(t))) return 'no_identifier';
  return null;
}

/** The template file: the header and one example row. */
export function templateCsv(): string {
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return (
    [TEMPLATE_COLUMNS.map((c) => c.header), TEMPLATE_COLUMNS.map((c) => c.example)].map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n'
  );
}
