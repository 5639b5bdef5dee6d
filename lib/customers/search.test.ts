import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db';
import { customers } from '@/db/schema';
import { createTestDb, testDrivers } from '@/db/testing';
import { parseCustomerFilter } from './filter';
import { listCustomers } from './queries';
import { phoneCandidates } from './search';

describe('phoneCandidates', () => {
  it.each([
    ['600 123 456', ['PL', 'DE'], ['+48600123456', '+49600123456']],
    ['0151 2345678', ['PL', 'DE'], ['+491512345678']],
    ['+49 (151) 234-5678', ['PL'], ['+491512345678']],
    ['0048 600 123 456', ['DE'], ['+48600123456']],
    ['Nowak', ['PL'], []],
    ['12345', ['PL'], []],
  ] as const)('%s in %j', (q, markets, expected) => {
    expect(phoneCandidates(q, markets)).toEqual(expected);
  });
});

describe.each(testDrivers())('customer search on %s', (driver) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await createTestDb(driver);
    await h.db.insert(customers).values([
      {
        externalId: 'SHOP-1',
        firstName: 'Anna',
        lastName: 'Nowak',
        email: 'anna.nowak@example.pl',
        phone: '+48600123456',
        market: 'PL',
        source: 'test',
      },
      {
        externalId: 'SHOP-2',
        firstName: 'Jürgen',
        lastName: 'Müller',
        email: 'jm@example.de',
        phone: '+491512345678',
        market: 'DE',
        source: 'test',
      },
      {
        externalId: 'SHOP-3',
        firstName: 'Ann_a',
        lastName: 'Kowalska',
        email: 'a100%@example.pl',
        phone: null,
        market: 'PL',
        source: 'test',
      },
    ]);
  });
  afterAll(async () => h?.close());

  const names = async (q: string, market?: string) =>
    (await listCustomers(parseCustomerFilter({ q, ...(market ? { market } : {}) }), new Date(), h.db)).rows.map((r) => r.lastName).sort();

  it.each([
    ['nowak', ['Nowak']],
    ['Anna Nowak', ['Nowak']],
    ['nowak anna', ['Nowak']],
    ['ann', ['Kowalska', 'Nowak']],
    ['ann_', ['Kowalska']],
    ['MÜLL', ['Müller']],
    ['anna.nowak@', ['Nowak']],
    ['a100%@', ['Kowalska']],
    ['600 123 456', ['Nowak']],
    ['0151 2345678', ['Müller']],
    ['+49 151 2345678', ['Müller']],
    ['SHOP-2', ['Müller']],
    ['owak', []],
  ] as const)('%s finds %j', async (q, expected) => {
    expect(await names(q)).toEqual(expected);
  });

  it('reads a national phone with the market filtered on', async () => {
    expect(await names('0151 2345678', 'DE')).toEqual(['Müller']);
  });
});
