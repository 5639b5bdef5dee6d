// Reading one column header for what it means, in Polish, German, English and French: its words, not an exact list
// of names. The file-wide choices (which consent a date serves, which column keeps a meaning) are made in fields.ts.
import type { Channel, Purpose } from '@/lib/consent';
import type { CustomerField } from './fields';
import { fold } from './fold';

/**
 * What a header says on its own. `consent` readings name the part of a consent they hold (the answer, its date, its
 * source, or the IP it was given from) and, where the header says so, the channel and purpose.
 */
export type HeaderMeaning =
  | { kind: 'field'; field: CustomerField }
  | {
      kind: 'consent';
      part: 'answer' | 'date' | 'source' | 'ip';
      channel: Channel | null;
      purpose: Purpose | null;
      /** The header names no purpose: read as marketing, which is what shops ask customers for. */
      purposeAssumed: boolean;
      newsletter: boolean;
    }
  /** Only a date or only a source, with no word of consent: the one "when" or "how" column of a consent file. */
  | { kind: 'bare'; part: 'date' | 'source' }
  /** Looks like consent, but cannot be mapped to one: why not. */
  | { kind: 'unclear'; why: 'no_channel' | 'several_channels' | 'several_purposes' | 'opt_out' | 'partner' }
  /** Acceptance of terms or a privacy notice: not consent to be contacted. */
  | { kind: 'terms' }
  | { kind: 'none' };

/**
 * The words of a header: case and accents folded, split on spaces, `_`, `-`, `.`, `/` and camelCase, with the
 * spellings people split in two ("e-mail", "Whats App", "opt-in") joined again.
 */
export function headerWords(header: string): string[] {
  const spaced = header.replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2');
  return fold(spaced)
    .replace(/^'/, '')
    .replace(/\be[\s_.-]*mail/g, 'email')
    .replace(/\bwhats[\s_.-]*app/g, 'whatsapp')
    .replace(/\bopt(?:ed)?[\s_.-]*(in|out)\b/g, 'opt$1')
    .replace(/\bdouble[\s_.-]*opt/g, 'doubleopt')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** A class of words: whole words, `stem*` for a word that starts so, `*part*` for a part of a German compound. */
function words(...patterns: string[]): (word: string) => boolean {
  const exact = new Set(patterns.filter((p) => !p.includes('*')));
  const prefixes = patterns.filter((p) => p.endsWith('*') && !p.startsWith('*')).map((p) => p.slice(0, -1));
  const parts = patterns.filter((p) => p.startsWith('*') && p.endsWith('*')).map((p) => p.slice(1, -1));
  const suffixes = patterns.filter((p) => p.startsWith('*') && !p.endsWith('*')).map((p) => p.slice(1));
  return (word) =>
    exact.has(word) ||
    prefixes.some((p) => word.startsWith(p)) ||
    parts.some((p) => word.includes(p)) ||
    suffixes.some((s) => word.endsWith(s));
}

const EMAIL = words('email*', 'mail', 'mails', 'mailing', 'mailowa', 'mailowe', 'courriel*', 'emailadresse');
const NEWSLETTER = words('newsletter*', '*newsletter*', 'biuletyn*', 'infolettre*');
const SMS = words('sms*', 'texto', 'textnachricht*');
const WHATSAPP = words('whatsapp*', 'wa');
const PHONE = words('telefon*', 'phone*', 'telephone*', 'tel', 'call', 'calls', 'anruf*', 'appel*', 'telemarketing');

const MARKETING = words(
  'marketing*',
  '*marketing*',
  'handlow*',
  'reklam*',
  'werbung*',
  'werblich*',
  'werbe*',
  '*werbung*',
  'promoc*',
  'promo',
  'promos',
  'promotion*',
  'promotional',
  'ofert*',
  'offre*',
  'offer',
  'offers',
  'angebot*',
  'advertis*',
  'advertising',
  'publicit*',
  'commercial*',
  'commerciale*',
  'prospection',
);
const TRANSACTIONAL = words(
  'transak*',
  'transaction*',
  'transaktion*',
  'transactionnel*',
  'zamowien*',
  'zamowienia',
  'bestell*',
  'order',
  'orders',
  'commande*',
  'service',
  'serwis*',
  'serwisowe',
  'lieferung*',
  'versand*',
  'dostaw*',
  'delivery',
  'shipping',
  'livraison*',
  'utility',
);
const CONSENT = words(
  'zgod*',
  'consent*',
  'accept*',
  'akcept*',
  '*einwillig*',
  'einverst*',
  'zustimm*',
  'optin',
  'doubleopt*',
  'subscribe',
  'subscribed',
  'subscription*',
  'subscriber*',
  'abonn*',
  'zapis*',
  'inscri*',
  'agree*',
  'permission*',
  'erlaubnis*',
  'erlaubt',
  'anmeldung',
  'angemeldet',
  'allows',
  'accord',
  'souhaite*',
);
const OPT_OUT = words(
  'optout',
  'unsubscri*',
  'abmeld*',
  '*abmeld*',
  'abgemeldet',
  'desabonn*',
  'desinscri*',
  'wypis*',
  'rezygn*',
  'sprzeciw*',
  'widerruf*',
  '*widerruf*',
  'withdraw*',
  'revoked',
  'cofni*',
  'wycof*',
  'objection*',
  'opposition',
);
const PARTNER = words('partner*', '*partner*', 'partenaire*', 'tiers', 'third', 'dritt*', 'zewnetrz*');
const TERMS = words(
  'regulamin*',
  'agb',
  'terms',
  'conditions',
  'cgv',
  'cgu',
  'datenschutz*',
  '*datenschutz*',
  'privacy',
  'rodo',
  'gdpr',
  'dsgvo',
  'prywatnos*',
  'polityk*',
  '*bedingung*',
  'confidentialite',
  'przetwarzan*',
  'profilow*',
  'cookies',
  'statut*',
  'nutzung*',
);
const DATE = words(
  'data',
  'datum',
  '*datum',
  'date',
  'dates',
  'dated',
  'datetime',
  'time',
  'timestamp',
  'zeitpunkt',
  'kiedy',
  'when',
  'seit',
  'at',
  'am',
  'updated',
  'dnia',
);
const BARE_DATE = words(
  'data',
  'datum',
  'date',
  'datetime',
  'timestamp',
  'zeitpunkt',
  'kiedy',
  'when',
  'updated',
  'at',
  'am',
  'of',
  'der',
  'du',
  'de',
  'la',
  'le',
);
const SOURCE = words(
  'zrodl*',
  'quelle*',
  'source*',
  'origin*',
  'how',
  'sposob*',
  'herkunft*',
  'provenance',
  'method*',
  'metod*',
  'via',
  'collected',
  'proof',
  'evidence',
  'dowod*',
  'nachweis*',
  'preuve*',
  'pozyskan*',
  'skad',
  'woher',
);
const BARE_SOURCE = words(
  'zrodlo',
  'zrodla',
  'quelle',
  'source',
  'origin',
  'herkunft',
  'provenance',
  'how',
  'sposob',
  'skad',
  'woher',
  'of',
  'der',
  'de',
  'la',
);
const CONSENT_CHANNEL_WORD = words('channel', 'kanal*');
const IP = words('ip', 'ipaddress', 'ipadresse', 'adresip');
const BIRTH = words('urodz*', 'geburt*', '*geburt*', 'birth*', 'naissance', 'dob', 'anniversaire', 'urodziny');
const NOISE = words(
  'level',
  'stufe',
  'poziom',
  'niveau',
  'count',
  'anzahl',
  'liczba',
  'nombre',
  'total',
  'bounce*',
  'verified',
  'verifiziert',
);

const ID = words('id', 'identyfikator', 'identifiant', 'identifier', 'nr', 'numer', 'number', 'no', 'numero', 'nummer', 'num');
const ID_COMPOUND = words('kundennummer', 'kundennr', 'kundenid', 'customerid', 'customerno', 'clientid', 'idklienta', 'nrklienta', 'kdnr');
const CUSTOMER = words('klient*', 'customer*', 'client*', 'kunde', 'kunden', 'acheteur', 'buyer', 'konta', 'konto', 'account');
const ORDER = words('order*', 'zamowien*', 'bestell*', 'commande*', 'invoice*', 'faktur*', 'rechnung*', 'produkt*', 'product*');
const FIRST = words('imie', 'vorname', 'prenom', 'firstname', 'forename', 'givenname');
const FIRST_PAIR = words('first', 'given');
const LAST = words('nazwisko', 'nachname', 'nom', 'lastname', 'surname', 'familienname', 'familyname');
const LAST_PAIR = words('last', 'family');
const NAME = words('name', 'names');
const PHONE_FIELD = words(
  'telefon*',
  'phone*',
  'telephone*',
  'tel',
  'mobile*',
  'mobil*',
  'handy*',
  'komork*',
  'portable',
  'cell*',
  'gsm',
  '*rufnummer',
  'rufnummer',
);
const FAX = words('fax', 'telefax');
const MARKET = words('kraj*', 'land', 'pays', 'country*', 'countrycode', 'rynek', 'markt', 'market', 'lander*', 'laenderkennung', 'staat');
const LANGUAGE = words('sprache*', 'jezyk*', 'langue*', 'language*', 'locale', 'lang');
// Where an order came from (a value naming Amazon marks the row as an Amazon buyer's: lib/consent/marketplace.ts).
const SALES_CHANNEL = words(
  'marketplace*',
  'platform*',
  'plattform*',
  'plateforme*',
  'vertriebskanal*',
  'verkaufskanal*',
  'bestellquelle',
  'bestellherkunft',
);
const SALES = words('sales', 'sale', 'vertrieb*', 'verkauf*', 'sprzedaz*', 'vente*', 'selling');
const CHANNEL_WORD = words('channel*', 'kanal*', 'canal*');
const ORIGIN = words('source*', 'origin*', 'quelle*', 'herkunft*', 'zrodl*', 'pochodz*', 'provenance');
const LATEST = words('last', 'ostatni*', 'letzte*', 'derniere*', 'dernier', 'latest', 'recent', 'most');

const any = (list: readonly string[], cls: (w: string) => boolean) => list.some(cls);

/** What one header says, before the file is considered as a whole. */
export function readHeaderMeaning(header: string): HeaderMeaning {
  const w = headerWords(header);
  if (w.length === 0) return { kind: 'none' };
  if (any(w, BIRTH) || any(w, NOISE) || any(w, FAX)) return { kind: 'none' };

  const newsletter = any(w, NEWSLETTER);
  const channels = new Set<Channel>();
  if (any(w, EMAIL) || newsletter) channels.add('email');
  if (any(w, SMS)) channels.add('sms');
  if (any(w, WHATSAPP)) channels.add('whatsapp');
  // "WhatsApp-Nummer" or "Telefon WhatsApp": the phone is how WhatsApp reaches the customer, not a channel of its own.
  else if (any(w, PHONE)) channels.add('phone');
  const marketing = any(w, MARKETING) || newsletter;
  const transactional = any(w, TRANSACTIONAL) && !any(w, LATEST);
  const consentWord = any(w, CONSENT);
  const optOut = any(w, OPT_OUT);
  const terms = any(w, TERMS);

  if (any(w, PARTNER) && (consentWord || marketing || channels.size > 0)) return { kind: 'unclear', why: 'partner' };
  if (terms && !marketing && channels.size === 0) return { kind: 'terms' };
  const consentContext = consentWord || marketing || optOut || (transactional && channels.size > 0);
  if (consentContext) {
    if (optOut) return { kind: 'unclear', why: 'opt_out' };
    if (terms && !marketing) return { kind: 'terms' };
    const date = any(w, DATE);
    const source = any(w, SOURCE) || (channels.size === 0 && any(w, CONSENT_CHANNEL_WORD));
    const ip = any(w, IP);
    const part = ip ? 'ip' : date && !source ? 'date' : source && !date ? 'source' : date && source ? null : 'answer';
    if (!part) return { kind: 'unclear', why: 'no_channel' };
    if (channels.size > 1) return { kind: 'unclear', why: 'several_channels' };
    if (marketing && transactional) return { kind: 'unclear', why: 'several_purposes' };
    const channel = channels.values().next().value ?? null;
    if (part === 'answer' && !channel) return { kind: 'unclear', why: 'no_channel' };
    const purpose: Purpose | null = marketing ? 'marketing' : transactional ? 'transactional' : null;
    if (part === 'answer') return { kind: 'consent', part, channel, purpose: purpose ?? 'marketing', purposeAssumed: !purpose, newsletter };
    return { kind: 'consent', part, channel, purpose, purposeAssumed: false, newsletter };
  }

  if (w.every(BARE_DATE) && any(w, DATE)) return { kind: 'bare', part: 'date' };
  if (w.every(BARE_SOURCE) && any(w, SOURCE)) return { kind: 'bare', part: 'source' };

  // The customer's own fields: a "Telefon" column is the customer's phone, an "E-mail" column the address.
  const order = any(w, ORDER);
  if (any(w, SALES_CHANNEL) || (any(w, SALES) && any(w, CHANNEL_WORD)) || (order && any(w, ORIGIN)))
    return { kind: 'field', field: 'orderSource' };
  if (order && any(w, LATEST) && !any(w, ID)) return { kind: 'field', field: 'lastOrderAt' };
  if (order) return { kind: 'none' };
  if (any(w, ID_COMPOUND) || (any(w, ID) && (any(w, CUSTOMER) || w.every(ID)))) {
    if (any(w, LANGUAGE) || any(w, MARKET) || any(w, PHONE_FIELD) || any(w, EMAIL)) return { kind: 'none' };
    return { kind: 'field', field: 'externalId' };
  }
  const first = any(w, FIRST) || (any(w, FIRST_PAIR) && any(w, NAME));
  const last = any(w, LAST) || (any(w, LAST_PAIR) && any(w, NAME));
  // "Imię i nazwisko", "Nom et prénom": a full name fits neither field.
  if (first && last) return { kind: 'none' };
  if (first) return { kind: 'field', field: 'firstName' };
  if (last) return { kind: 'field', field: 'lastName' };
  if (any(w, EMAIL)) return { kind: 'field', field: 'email' };
  if (any(w, PHONE_FIELD) || any(w, WHATSAPP)) return { kind: 'field', field: 'phone' };
  if (any(w, MARKET)) return { kind: 'field', field: 'market' };
  if (any(w, LANGUAGE)) return { kind: 'field', field: 'language' };
  return { kind: 'none' };
}
