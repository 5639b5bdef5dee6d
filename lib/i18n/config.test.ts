import { describe, expect, it } from 'vitest';
import { isTimeZone, negotiateLocale } from './config';

describe('language and time zone', () => {
  it.each([
    ['pl-PL,pl;q=0.9,en;q=0.8', 'pl'],
    ['de-AT,de;q=0.9', 'de'],
    ['fr-FR,fr;q=0.9,de;q=0.5', 'de'],
    ['fr-FR', 'en'],
    [null, 'en'],
  ])('Accept-Language %s picks %s', (header, locale) => {
    expect(negotiateLocale(header)).toBe(locale);
  });

  it.each([
    ['Europe/Warsaw', true],
    ['America/New_York', true],
    ['Mars/Olympus', false],
    ['', false],
  ])('%s is a time zone: %s', (tz, valid) => {
    expect(isTimeZone(tz)).toBe(valid);
  });
});
