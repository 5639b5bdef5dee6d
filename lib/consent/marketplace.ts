// Amazon's rules for Amazon buyers: who is one (a relay e-mail address, an Amazon order), and which consent was given
// through the seller's own channel rather than taken from Amazon's data.
import { IMPORT_SOURCE } from './types';

export const MARKETPLACES = ['amazon'] as const;
export type Marketplace = (typeof MARKETPLACES)[number];

/**
 * The top-level domains of Amazon's stores whose Buyer-Seller Messaging hands out relay addresses
 * (`...@marketplace.amazon.de`). Longer suffixes first, so that `com.be` is not read as `com`.
 */
export const AMAZON_STORE_DOMAINS = [
  'com.au', 'com.be', 'com.br', 'com.mx', 'com.tr', 'co.jp', 'co.uk', 'co.za',
  'ae', 'ca', 'cn', 'com', 'de', 'eg', 'es', 'fr', 'ie', 'in', 'it', 'nl', 'pl', 'sa', 'se', 'sg',
] as const;

const DOMAINS = AMAZON_STORE_DOMAINS.map((d) => d.replace(/\./g, '\\.')).join('|');

/**
 * A relay address: the domain is `marketplace.amazon.<store>` or a subdomain of it, and nothing follows. The same
 * pattern (POSIX and JavaScript read it alike) is the database's generated column `customers.email_relay`, so the SQL
 * twin and `evaluate` can never disagree about an address.
 */
export const AMAZON_RELAY_PATTERN = `@([a-z0-9-]+\\.)*marketplace\\.amazon\\.(${DOMAINS})$`;
const RELAY = new RegExp(AMAZON_RELAY_PATTERN, 'i');

export function isAmazonRelayEmail(email: string | null | undefined): boolean {
  return !!email && RELAY.test(email);
}

// Words with which shops, exports and people name an Amazon order, read after folding case and accents; whole words
// only, so that "Amazonas" (a street, a river) or a shop named "Zamazon" is not read as one.
const AMAZON_WORDS = /(^|[^a-z0-9])(amazon|amz|fba|afn|mfn|seller central|sellercentral|vendor central)([^a-z0-9]|$)/;

const foldText = (value: string) => value.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();

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
export const NOT_SELLER_OWN_SOURCES: readonly string[] = [IMPORT_SOURCE, 'suppression', 'whatsapp_keyword', 'whatsapp_setting'];

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
