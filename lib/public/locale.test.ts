import { describe, expect, it } from 'vitest';
import { publicLocale } from './locale';

describe('publicLocale', () => {
  it.each([
    ['the customer language', 'de-AT', 'fr-FR,fr;q=0.9', 'PL', 'de'],
    ['an underscore tag', 'nl_BE', null, null, 'nl'],
    ['the market when the language is unknown', null, 'en', 'AT', 'de'],
    ['the market when the language is not ours', 'cs', 'en', 'ES', 'es'],
    ['the browser when neither is known', null, 'cs-CZ,it;q=0.8,en;q=0.5', null, 'it'],
    ['the browser when the market has no language of ours', null, 'fr', 'CZ', 'fr'],
    ['English at the end', null, 'cs', 'CZ', 'en'],
    ['English with nothing at all', undefined, undefined, undefined, 'en'],
  ])('takes %s', (_, preferred, accept, market, expected) => {
    expect(publicLocale(preferred, accept, market)).toBe(expected);
  });
});
