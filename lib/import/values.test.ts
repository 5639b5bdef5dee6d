import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readConsent, readCountry, readDate, readEmail, readLanguage, readPhone } from './values';

describe('consent answers in four languages', () => {
  it.each([
    ['yes', 'yes'],
    ['TRUE', 'yes'],
    ['1', 'yes'],
    [' Tak ', 'yes'],
    ['ja', 'yes'],
    ['Oui', 'yes'],
    ['subscribed', 'yes'],
    ['opt-in', 'yes'],
    ['no', 'no'],
    ['false', 'no'],
    ['0', 'no'],
    ['NIE', 'no'],
    ['Nein', 'no'],
    ['non', 'no'],
    ['unsubscribed', 'no'],
    ['not_subscribed', 'no'],
    ['opt-out', 'no'],
    ['', 'none'],
    ['pending', 'none'],
    ['invalid', 'none'],
    // Spreadsheets' own booleans and the words shop exports use
    ['WAHR', 'yes'],
    ['FALSCH', 'no'],
    ['VRAI', 'yes'],
    ['FAUX', 'no'],
    ['PRAWDA', 'yes'],
    ['FAŁSZ', 'no'],
    ['x', 'yes'],
    ['Opted in', 'yes'],
    ['opted-out', 'no'],
    ['Not subscribed', 'no'],
    ['Abonné', 'yes'],
    ['désabonné', 'no'],
    ['angemeldet', 'yes'],
    ['abgemeldet', 'no'],
    ['zapisany', 'yes'],
    ['wypisana', 'no'],
    ['maybe', null],
    ['2', null],
    ['yes please', null],
  ] as const)('%j reads as %s', (value, expected) => {
    expect(readConsent(value)).toBe(expected);
  });
});

describe('dates', () => {
  it.each([
    ['2025-03-14', '2025-03-14T00:00:00.000Z'],
    ['2025-03-14T10:20:30Z', '2025-03-14T10:20:30.000Z'],
    ['2025-03-14 10:20', '2025-03-14T10:20:00.000Z'],
    ['2025-03-14T10:20:30+01:00', '2025-03-14T09:20:30.000Z'],
    ['2025-03-14 10:20:30 +0200', '2025-03-14T08:20:30.000Z'],
    ['14.03.2025', '2025-03-14T00:00:00.000Z'],
    ['14/03/2025', '2025-03-14T00:00:00.000Z'],
    ['4.3.2025 9:05', '2025-03-04T09:05:00.000Z'],
    ['14-03-2025', '2025-03-14T00:00:00.000Z'],
    ['14.03.2026 10:22', '2026-03-14T10:22:00.000Z'],
    ['2026-03-14 10:22', '2026-03-14T10:22:00.000Z'],
    ['14/03/2026', '2026-03-14T00:00:00.000Z'],
    ['2026-03-14 10:22:31 +0100', '2026-03-14T09:22:31.000Z'],
  ])('%s', (value, iso) => {
    expect(readDate(value)?.toISOString()).toBe(iso);
  });

  it.each(['', '31.02.2025', '2025-13-01', '03/14/2025', 'yesterday', '2025-03-14T25:00', '14.03.25'])('refuses %j', (value) => {
    expect(readDate(value)).toBeNull();
  });
});

describe('countries', () => {
  it.each([
    ['DE', 'DE'],
    ['de', 'DE'],
    ['Deutschland', 'DE'],
    ['Germany', 'DE'],
    ['Niemcy', 'DE'],
    ['Polska', 'PL'],
    ['Österreich', 'AT'],
    ['Włochy', 'IT'],
    ['España', 'ES'],
    ['France', 'FR'],
    ['Nederland', 'NL'],
    ['Atlantis', null],
  ])('%s -> %s', (value, code) => {
    expect(readCountry(value)).toBe(code);
  });
});

describe('phones to E.164 with the market as default region', () => {
  it.each([
    ['0151 2345678', 'DE', '+491512345678'],
    ['600 123 456', 'PL', '+48600123456'],
    ['+48 600-123-456', 'DE', '+48600123456'],
    ['0048 600 123 456', null, '+48600123456'],
    ['48600123456', null, '+48600123456'],
    ["'+49 170 1234567", 'DE', '+491701234567'],
    ['06 12 34 56 78', 'FR', '+33612345678'],
    ['12345', 'PL', null],
    ['', 'PL', null],
    ['call me', 'DE', null],
  ])('%s in %s', (value, market, e164) => {
    expect(readPhone(value, market)).toBe(e164);
  });
});

describe('e-mails and languages', () => {
  it.each([
    [' Anna.Nowak@Example.PL ', 'anna.nowak@example.pl'],
    ['anna@example', null],
    ['anna nowak@example.pl', null],
    ['anna@@example.pl', null],
    ['', null],
  ])('e-mail %j', (value, expected) => {
    expect(readEmail(value)).toBe(expected);
  });

  it.each([
    ['pl', 'pl'],
    ['de_AT', 'de-AT'],
    ['DE-at', 'de-AT'],
    ['Polski', 'pl'],
    ['Deutsch', 'de'],
    ['Français', 'fr'],
    ['klingon', null],
  ])('language %j', (value, expected) => {
    expect(readLanguage(value)).toBe(expected);
  });
});

describe('arbitrary text', () => {
  it('never crashes a reader', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.constantFrom('DE', 'PL', 'FR', null), (value, market) => {
        readConsent(value);
        readDate(value);
        readCountry(value);
        readPhone(value, market);
        readEmail(value);
        readLanguage(value);
      }),
      { numRuns: 500 },
    );
  });
});
