import { describe, expect, it } from 'vitest';
import { auditableFilter } from './downloads';

describe('the filter a download audit keeps', () => {
  it.each([
    [
      { q: 'anna@example.de', market: ['DE'] },
      { q: '[search term]', market: ['DE'] },
    ],
    [
      { search: 'Nowak', status: 'open', kind: [] },
      { search: '[search term]', status: 'open' },
    ],
    [{ market: 'PL', channel: undefined, purpose: null, page: '' }, { market: 'PL' }],
  ])('keeps %j as %j', (filter, kept) => {
    expect(auditableFilter(filter)).toEqual(kept);
  });
});
