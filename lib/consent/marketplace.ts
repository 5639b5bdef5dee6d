// Amazon's rules for Amazon buyers: who is one (a relay e-mail address, an Amazon order), and which consent was given
// through the seller's own channel rather than taken from Amazon's data.
import { IMPORT_SOURCE } from './types';

export const MARKETPLACES = ['amazon'] as const;
export type Marketplace = (typeof MARKETPLACES)[number];

/** The domains of Amazon's stores whose Buyer-Seller Messaging hands out relay addresses (`...@marketplace.amazon.de`). */
export const AMAZON_STORE_DOMAINS = [
  'com.au',
  'com.be',
  'com.br',
  'com.mx',
  'com.tr',
  'co.jp',
  'co.uk',
  'co.za',
  'ae',
  'ca',
  'cn',
  'com',
  'de',
  'eg',
  'es',
  'fr',
  'ie',
  'in',
  'it',
  'nl',
  'pl',
  'sa',
  'se',
  'sg',
] as const;

/** What precedes the store's domain in every relay address. */
export const RELAY_MARKER = 'marketplace.amazon.';

// Only ASCII letters are folded, as PostgreSQL's lower() under the "C" collation does: the database computes the same.
const asciiLower = (value: string) => value.replace(/[A-Z]/g, (c) => c.toLowerCase());

/**
 * A relay address ends in `marketplace.amazon.<store>` right after the `@` or after a dot (a subdomain), in any case.
 * Written without a regular expression so that the database's generated column `customers.email_relay` (db/schema.ts)
 * computes exactly this, step for step, at the cost of a LIKE for the addresses that are not relays: a regular
 * expression cost seconds per million rows of an import.
 */
export function isAmazonRelayEmail(email: string | null | undefined): boolean {
  if (!email) return false;
  const e = asciiLower(email);
  const at = e.lastIndexOf(RELAY_MARKER);
  if (at < 1) return false;
  const before = e[at - 1];
  return (before === '@' || before === '.') && (AMAZON_STORE_DOMAINS as readonly string[]).includes(e.slice(at + RELAY_MARKER.length));
}

/** The same test as SQL over a text column: the generated column's expression. */
export function amazonRelaySql(column: string): string {
  const e = `lower(${column} collate "C")`;
  const store = `split_part(${e}, '${RELAY_MARKER}', -1)`;
  const domains = AMAZON_STORE_DOMAINS.map((d) => `'${d}'`).join(', ');
  return `coalesce(${e} like '%${RELAY_MARKER}%' and ${store} in (${domains}) and right(left(${e}, -(length(${store}) + ${RELAY_MARKER.length})), 1) in ('@', '.'), false)`;
}

// Words with which shops, exports and people name an Amazon order, read after folding case and accents; whole words
// only, so that "Amazonas" (a street, a river) or a shop named "Zamazon" is not read as one.
const AMAZON_WORDS = /(^|[^a-z0-9])(amazon|amz|fba|afn|mfn|seller central|sellercentral|vendor central)([^a-z0-9]|$)/;

const foldText = (value: string) =>
  value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim();

/** Whether an order-source value ("Amazon.de order", "AMZ", "FBA", "zamówienie Amazon") says the order came through Amazon. */
export function isAmazonOrderSource(value: string | null | undefined): boolean {
  if (!value) return false;
  return AMAZON_WORDS.test(foldText(value));
}

/**
 * Sources of consent events that are not the seller's own channel for an Amazon buyer: bulk data (an import, an
 * import's suppression) cannot show that the buyer gave the contact point to the seller, and a WhatsApp reply or
 * setting only answers a conversation begun with Amazon's data. Everything else (web form, checkout of the seller's
 * own shop, a support call, paper form, in store, the consent API) is recorded with its own evidence.
 */
export const NOT_SELLER_OWN_SOURCES: readonly string[] = [
  IMPORT_SOURCE,
  'suppression',
  'whatsapp_keyword',
  'whatsapp_setting',
  'whatsapp_send_error',
];

export function isSellerOwnSource(source: string | null | undefined): boolean {
  return !!source && !NOT_SELLER_OWN_SOURCES.includes(source);
}

/** What Amazon's rules say, as the legal reference of `marketplace_policy`: shown on the rules page and the customer page. */
export const AMAZON_GUIDELINES = [
  {
    title: 'Amazon Seller Central: Communication Guidelines - Permitted messages',
    url: 'https://sellercentral.amazon.co.uk/seller-forums/discussions/t/0280ebb5-103d-41c8-a3a8-42d13097c519',
  },
  {
    title: 'Amazon Seller Central: Buyer-Seller Messaging Service',
    url: 'https://sellercentral.amazon.sg/gp/help/external/help.html?itemID=200389080',
  },
  {
    title: 'Amazon Seller Central: Buyer-Seller Messages FAQ (anonymized e-mail alias)',
    url: 'https://sellercentral.amazon.com/help/hub/reference/external/G200383320',
  },
  {
    title: 'Amazon Seller Central: Prohibited seller activities and actions',
    url: 'https://sellercentral.amazon.ca/gp/help/external/help.html?itemID=200386250',
  },
  {
    title: 'Amazon Selling Partner API: Data Protection Policy (policies and agreements)',
    url: 'https://developer-docs.amazon.com/sp-api/docs/policies-and-agreements',
  },
] as const;

export const MARKETPLACE_LEGAL_REFERENCE = 'Amazon Communication Guidelines; Buyer-Seller Messaging; Data Protection Policy';

/** The rule a decision rests on: Amazon's, when that is what blocks, else the market's (none without a rule). */
export function legalReferenceOf(reason: string, policy: { legalReference: string } | null): string | null {
  return reason === 'marketplace_policy' ? MARKETPLACE_LEGAL_REFERENCE : (policy?.legalReference ?? null);
}
