import { describe, expect, it } from 'vitest';
import { customerFilterQuery, parseCustomerFilter } from './filter';

describe('customer filter in the URL', () => {
  it('reads a full filter', () => {
    expect(
      parseCustomerFilter({
        market: ['DE', 'PL'],
        channel: 'whatsapp',
        purpose: 'marketing',
        state: 'withdrawn',
        decision: 'blocked',
        batch: '3',
        asOf: '2026-10-01',
        page: '2',
      }),
    ).toEqual({
      market: ['DE', 'PL'],
      channel: 'whatsapp',
      purpose: 'marketing',
      state: 'withdrawn',
      decision: 'blocked',
      batch: 3,
      asOf: '2026-10-01',
      page: 2,
    });
  });

  it.each([
    ['an unknown channel', { channel: 'fax' }, { channel: undefined }],
    ['a lower-case market', { market: 'de' }, { market: [] }],
    ['a page of zero', { page: '0' }, { page: 1 }],
    ['a malformed date', { asOf: '2026-13-45' }, { asOf: undefined }],
    ['an empty search', { q: '' }, { q: undefined }],
    ['an unknown reason', { reason: 'because' }, { reason: undefined }],
    ['a malformed order date', { orderedSince: 'yesterday' }, { orderedSince: undefined }],
  ])('ignores %s', (_rule, params, expected) => {
    expect(parseCustomerFilter(params)).toMatchObject(expected);
  });

  it('reads the reason of a decision and the last order date', () => {
    expect(
      parseCustomerFilter({ channel: 'whatsapp', purpose: 'marketing', reason: 'confirmation_pending', orderedSince: '2026-01-31' }),
    ).toMatchObject({
      reason: 'confirmation_pending',
      orderedSince: '2026-01-31',
    });
  });

  it('writes back what it reads', () => {
    const query = 'market=DE&market=AT&channel=email&purpose=marketing&decision=allowed&asOf=2026-09-30';
    expect(
      customerFilterQuery(
        parseCustomerFilter(
          Object.fromEntries(
            [...new URLSearchParams(query)].reduce((m, [k, v]) => m.set(k, m.has(k) ? [...[m.get(k)].flat(), v] : v), new Map()),
          ),
        ),
      ),
    ).toBe(query);
  });
});
