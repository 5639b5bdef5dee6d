// The languages customers see Zgoda's public pages in: the shipped markets' languages.
export const PUBLIC_LOCALES = ['pl', 'de', 'en', 'fr', 'nl', 'it', 'es'] as const;
export type PublicLocale = (typeof PUBLIC_LOCALES)[number];

export const PUBLIC_LOCALE_NAMES: Record<PublicLocale, string> = {
  pl: 'Polski',
  de: 'Deutsch',
  en: 'English',
  fr: 'Français',
  nl: 'Nederlands',
  it: 'Italiano',
  es: 'Español',
};

// A market's language, for a customer whose own language is not known (AT speaks German, BE Dutch: the larger group).
const MARKET_LOCALE: Record<string, PublicLocale> = {
  PL: 'pl',
  DE: 'de',
  AT: 'de',
  CH: 'de',
  LU: 'fr',
  FR: 'fr',
  BE: 'nl',
  NL: 'nl',
  IT: 'it',
  ES: 'es',
  GB: 'en',
  IE: 'en',
};

export function isPublicLocale(value: unknown): value is PublicLocale {
  return typeof value === 'string' && (PUBLIC_LOCALES as readonly string[]).includes(value);
}

/** The primary subtag of a BCP 47 tag (`de-AT` -> `de`) if it is one of ours. */
function fromTag(tag: string | null | undefined): PublicLocale | null {
  const primary = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return isPublicLocale(primary) ? primary : null;
}

/**
 * The language of a public page: the customer's own (a BCP 47 tag as stored), else their market's, else the first
 * of ours the browser asks for, else English.
 */
export function publicLocale(
  preferred: string | null | undefined,
  acceptLanguage: string | null | undefined,
  market?: string | null,
): PublicLocale {
  const own = fromTag(preferred);
  if (own) return own;
  const byMarket = market ? MARKET_LOCALE[market.toUpperCase()] : undefined;
  if (byMarket) return byMarket;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const asked = fromTag(part.split(';')[0]);
    if (asked) return asked;
  }
  return 'en';
}
