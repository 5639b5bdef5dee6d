// Reading the cells of customer exports: consent answers in four languages, dates, countries, phones and e-mails.
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { CountryCode } from 'libphonenumber-js';
import { fold } from './fold';

export { readConsent } from './answers';
export type { ConsentAnswer } from './answers';

function utcDate(y: number, m: number, d: number, hh = 0, mm = 0, ss = 0): Date | null {
  const date = new Date(Date.UTC(y, m - 1, d, hh, mm, ss));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? date : null;
}

/**
 * A date in ISO form (with or without time and offset) or as European exports write it: 31.12.2025, 31/12/2025,
 * 31-12-2025, optionally with a time. Without an offset the time is taken as UTC. Day before month, never US order.
 */
export function readDate(value: string): Date | null {
  const v = value.trim();
  if (!v) return null;
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/.exec(v);
  if (iso) {
    const [, y, m, d, hh = '0', mm = '0', ss = '0', zone] = iso;
    const base = utcDate(Number(y), Number(m), Number(d), Number(hh), Number(mm), Number(ss));
    if (!base || Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59) return null;
    if (!zone || zone === 'Z') return base;
    const sign = zone.startsWith('-') ? -1 : 1;
    const [oh, om] = [Number(zone.slice(1, 3)), Number(zone.slice(-2))];
    return new Date(base.getTime() - sign * (oh * 60 + om) * 60_000);
  }
  const eu = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?:[ ,T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(v);
  if (eu) {
    const [, d, m, y, hh = '0', mm = '0', ss = '0'] = eu;
    if (Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59) return null;
    return utcDate(Number(y), Number(m), Number(d), Number(hh), Number(mm), Number(ss));
  }
  return null;
}

// Country names as shop exports write them, in the languages of the markets we serve.
const COUNTRY_NAMES: Record<string, string[]> = {
  DE: ['germany', 'deutschland', 'niemcy', 'allemagne'],
  AT: ['austria', 'osterreich', 'oesterreich', 'autriche'],
  PL: ['poland', 'polska', 'polen', 'pologne'],
  FR: ['france', 'frankreich', 'francja'],
  NL: ['netherlands', 'the netherlands', 'nederland', 'niederlande', 'holandia', 'holland', 'pays-bas'],
  IT: ['italy', 'italia', 'italien', 'wlochy', 'italie'],
  ES: ['spain', 'espana', 'spanien', 'hiszpania', 'espagne'],
  BE: ['belgium', 'belgien', 'belgia', 'belgique', 'belgie'],
  CZ: ['czechia', 'czech republic', 'tschechien', 'czechy', 'cesko'],
  SE: ['sweden', 'schweden', 'szwecja', 'sverige'],
  DK: ['denmark', 'danemark', 'dania', 'danmark'],
};

/** An ISO 3166-1 alpha-2 code from a code or a country name; null when we cannot tell. */
export function readCountry(value: string): string | null {
  const v = fold(value);
  if (/^[a-z]{2}$/.test(v)) return v.toUpperCase();
  for (const [code, names] of Object.entries(COUNTRY_NAMES)) if (names.includes(v)) return code;
  return null;
}

/** A phone number in E.164, read with the customer's market as the default region; null when it is not valid. */
export function readPhone(value: string, market: string | null): string | null {
  const v = value.trim().replace(/^'/, '');
  if (!v) return null;
  // Exports often drop the plus of international numbers: 48600123456, 0048600123456.
  const candidates = [v, v.replace(/^00/, '+')];
  if (/^\d{10,15}$/.test(v)) candidates.push(`+${v}`);
  for (const candidate of candidates) {
    const parsed = parsePhoneNumberFromString(candidate, (market ?? undefined) as CountryCode | undefined);
    if (parsed?.isValid()) return parsed.number;
  }
  return null;
}

// Deliberately plain: one @, a dot in the domain, no spaces. Deliverability is the mail server's business.
const EMAIL = /^[^\s@"(),:;<>[\]\\]+@[^\s@"(),:;<>[\]\\]+\.[a-z]{2,}$/i;

export function readEmail(value: string): string | null {
  const v = value.trim().toLowerCase();
  return v && v.length <= 254 && EMAIL.test(v) ? v : null;
}

/** A language as BCP 47 (pl, de, de-AT), from a tag or a name in the four languages. */
export function readLanguage(value: string): string | null {
  const v = fold(value);
  const names: Record<string, string[]> = {
    pl: ['polish', 'polski', 'polnisch', 'polonais'],
    de: ['german', 'deutsch', 'niemiecki', 'allemand'],
    en: ['english', 'angielski', 'englisch', 'anglais'],
    fr: ['french', 'francais', 'francuski', 'franzosisch'],
    nl: ['dutch', 'nederlands', 'niderlandzki', 'niederlandisch'],
    it: ['italian', 'italiano', 'wloski', 'italienisch'],
    es: ['spanish', 'espanol', 'hiszpanski', 'spanisch'],
  };
  const tag = /^([a-z]{2,3})(?:[-_]([a-z]{2}))?$/.exec(v);
  if (tag) return tag[2] ? `${tag[1]}-${tag[2].toUpperCase()}` : tag[1]!;
  for (const [code, list] of Object.entries(names)) if (list.includes(v)) return code;
  return null;
}
