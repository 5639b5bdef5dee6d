// Reading a consent cell: yes, no or nothing said, in the words and spreadsheet values of four languages.
import { fold } from './fold';

// Spreadsheets write booleans in their own language: WAHR/FALSCH, VRAI/FAUX, PRAWDA/FAŁSZ.
const YES = new Set([
  'yes',
  'y',
  'true',
  '1',
  'tak',
  'ja',
  'oui',
  'subscribed',
  'opt-in',
  'optin',
  'opted_in',
  'opted in',
  'opted-in',
  'granted',
  'x',
  'wahr',
  'vrai',
  'prawda',
  'angemeldet',
  'abonniert',
  'abonne',
  'abonnee',
  'zapisany',
  'zapisana',
]);
const NO = new Set([
  'no',
  'n',
  'false',
  '0',
  'nie',
  'nein',
  'non',
  'unsubscribed',
  'not_subscribed',
  'not subscribed',
  'opt-out',
  'optout',
  'opted_out',
  'opted out',
  'opted-out',
  'withdrawn',
  'denied',
  'declined',
  'falsch',
  'faux',
  'falsz',
  'abgemeldet',
  'desabonne',
  'desabonnee',
  'wypisany',
  'wypisana',
]);
// Shopify writes these for customers whose state it does not know; they say neither yes nor no.
const NEITHER = new Set(['', 'pending', 'invalid', 'redacted', 'unknown', '-', 'n/a']);

export type ConsentAnswer = 'yes' | 'no' | 'none';

/** A consent cell: yes, no, nothing said, or null when the value is not one we understand. */
export function readConsent(value: string): ConsentAnswer | null {
  const v = fold(value);
  if (YES.has(v)) return 'yes';
  if (NO.has(v)) return 'no';
  if (NEITHER.has(v)) return 'none';
  return null;
}
