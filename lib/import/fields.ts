// What a column of a customer file can mean, the presets for the files shops export, and guessing the mapping.
import type { Channel, Purpose } from '@/lib/consent';
import { CHANNELS, PURPOSES } from '@/lib/consent';
import { fold } from './fold';

export const CUSTOMER_FIELDS = ['externalId', 'firstName', 'lastName', 'email', 'phone', 'market', 'language', 'lastOrderAt', 'orderSource'] as const;
export type CustomerField = (typeof CUSTOMER_FIELDS)[number];

/** A consent column: `whatsapp.marketing` (the answer), `whatsapp.marketing.date`, `whatsapp.marketing.source`. */
export type ConsentTarget = `${Channel}.${Purpose}` | `${Channel}.${Purpose}.${'date' | 'source'}`;
export type Target = CustomerField | ConsentTarget;

export const CONSENT_KEYS = CHANNELS.flatMap((channel) => PURPOSES.map((purpose) => ({ channel, purpose })));
export const TARGETS: Target[] = [
  ...CUSTOMER_FIELDS,
  ...CONSENT_KEYS.flatMap(({ channel, purpose }) => [`${channel}.${purpose}`, `${channel}.${purpose}.date`, `${channel}.${purpose}.source`] as ConsentTarget[]),
];

export function isTarget(value: string): value is Target {
  return (TARGETS as string[]).includes(value);
}

/** The target of each column, by position; null for a column that is ignored. */
export type Mapping = Array<Target | null>;

export const IDENTIFIERS: CustomerField[] = ['externalId', 'email', 'phone'];

export const PRESET_IDS = ['zgoda', 'shopify', 'woocommerce'] as const;
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
      { header: `${channel}_${purpose}`, target: `${channel}.${purpose}` as Target, example: given ? 'yes' : channel === 'whatsapp' && purpose === 'marketing' ? 'no' : '' },
      { header: `${channel}_${purpose}_date`, target: `${channel}.${purpose}.date` as Target, example: given ? '2026-03-14' : '' },
      { header: `${channel}_${purpose}_source`, target: `${channel}.${purpose}.source` as Target, example: given ? 'checkout checkbox, form v3' : '' },
    ];
  }),
];

export const PRESETS: Record<PresetId, Record<string, Target>> = {
  zgoda: Object.fromEntries(TEMPLATE_COLUMNS.map((c) => [c.header, c.target])),
  shopify: {
    'Customer ID': 'externalId',
    'First Name': 'firstName',
    'Last Name': 'lastName',
    Email: 'email',
    'Accepts Email Marketing': 'email.marketing',
    'Default Address Country Code': 'market',
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
};

// Headers other exports use, read after folding case and accents, in English, Polish, German and French.
const ALIASES: Partial<Record<Target, string[]>> = {
  externalId: ['id', 'customer id', 'customer_id', 'kunden-id', 'kundennummer', 'id klienta', 'numer klienta', 'identifiant'],
  firstName: ['first name', 'firstname', 'vorname', 'imie', 'prenom'],
  lastName: ['last name', 'lastname', 'surname', 'nachname', 'nazwisko', 'nom'],
  email: ['e-mail', 'email address', 'e-mail-adresse', 'adres e-mail', 'courriel', 'mail'],
  phone: ['phone', 'telephone', 'telefon', 'mobile', 'handy', 'telefon komorkowy', 'numer telefonu', 'portable', 'whatsapp number'],
  market: ['country', 'country code', 'land', 'kraj', 'pays', 'market', 'rynek', 'markt'],
  language: ['language', 'sprache', 'jezyk', 'langue', 'locale'],
  lastOrderAt: ['last order', 'last order date', 'letzte bestellung', 'ostatnie zamowienie', 'derniere commande'],
  // Where the order came from: a value naming Amazon marks the row as an Amazon buyer's (lib/consent/marketplace.ts).
  orderSource: [
    'source', 'origin', 'order source', 'order origin', 'sales channel', 'sales-channel', 'marketplace', 'platform',
    'herkunft', 'bestellquelle', 'vertriebskanal', 'verkaufskanal', 'plattform', 'zrodlo zamowienia', 'kanal sprzedazy',
    'platforma', 'pochodzenie', 'origine', 'canal de vente', 'plateforme',
  ],
};

const fold2 = (header: string) => fold(header).replace(/^'/, '').replace(/[\s_]+/g, ' ');

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

/** A mapping for a header: the preset's columns first, then known aliases; each target is used once. */
export function guessMapping(header: readonly string[], preset: PresetId | null): Mapping {
  const used = new Set<Target>();
  const take = (target: Target | undefined): Target | null => {
    if (!target || used.has(target)) return null;
    used.add(target);
    return target;
  };
  const presetColumns = preset ? new Map(Object.entries(PRESETS[preset]).map(([h, t]) => [fold2(h), t])) : new Map<string, Target>();
  const templateColumns = new Map(TEMPLATE_COLUMNS.map((c) => [fold2(c.header), c.target]));
  return header.map((h) => {
    const key = fold2(h);
    const direct = presetColumns.get(key) ?? templateColumns.get(key);
    if (direct) return take(direct);
    for (const [target, names] of Object.entries(ALIASES) as Array<[Target, string[]]>) {
      if (names.map(fold2).includes(key)) return take(target);
    }
    return null;
  });
}

/** The mapping to offer: the one last used for this header, or a guess. */
export function initialMapping(header: readonly string[], saved?: Mapping): Mapping {
  return saved && saved.length === header.length ? saved : guessMapping(header, detectPreset(header));
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
  return [TEMPLATE_COLUMNS.map((c) => c.header), TEMPLATE_COLUMNS.map((c) => c.example)].map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n';
}
