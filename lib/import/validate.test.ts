import { describe, expect, it } from 'vitest';
import type { Mapping } from './fields';
import { columnsOf, rowValidator } from './validate';

const NOW = new Date('2026-11-20T12:00:00Z');
const validator = (header: string[], mapping: Mapping, options = {}) =>
  rowValidator(header, columnsOf(mapping), new Set(['PL', 'DE']), options, NOW);
const brief = (row: ReturnType<ReturnType<typeof validator>>) => ({
  consents: row.consents.map(
    (c) =>
      `${c.channel}.${c.purpose} ${c.kind} ${c.occurredAt?.toISOString().slice(0, 10) ?? 'undated'} ${c.evidence.proofReference ?? '-'}${c.evidence.ip ? ` ${c.evidence.ip}` : ''}`,
  ),
  errors: row.errors.map((e) => `${e.code} ${e.column}`),
  warnings: row.warnings.map((w) => `${w.code} ${w.column}`),
});

describe('date and source columns serving several consents', () => {
  const header = ['email', 'market', 'mail', 'sms', 'wa', 'wa date', 'channel date', 'date', 'source', 'ip'];
  const mapping: Mapping = [
    'email',
    'market',
    'email.marketing',
    'sms.marketing',
    'whatsapp.marketing',
    'whatsapp.marketing.date',
    'sms.date',
    'consent.date',
    'consent.source',
    'email.marketing.ip',
  ];
  const read = validator(header, mapping);

  // Each row: the cells, and what it brings. The most specific date wins: the consent's own, then its channel's, then the row's.
  it.each([
    [
      'each consent takes its most specific date, and the one source',
      ['a@example.pl', 'PL', 'tak', 'tak', 'tak', '01.04.2026', '02.04.2026', '03.04.2026', 'formularz v2', '83.12.45.201'],
      {
        consents: [
          'email.marketing granted 2026-04-03 formularz v2 83.12.45.201',
          'sms.marketing granted 2026-04-02 formularz v2',
          'whatsapp.marketing granted 2026-04-01 formularz v2',
        ],
        errors: [],
        warnings: [],
      },
    ],
    [
      'the shared date serves where the specific ones are empty',
      ['a@example.pl', 'PL', 'tak', 'nie', 'tak', '', '', '03.04.2026', 'formularz v2', ''],
      {
        consents: [
          'email.marketing granted 2026-04-03 formularz v2',
          'sms.marketing withdrawn 2026-04-03 formularz v2',
          'whatsapp.marketing granted 2026-04-03 formularz v2',
        ],
        errors: [],
        warnings: [],
      },
    ],
    [
      'a bad shared date is reported once, however many consents it serves',
      ['a@example.pl', 'PL', 'tak', '', 'tak', '', '', '31.02.2026', 'formularz v2', ''],
      { consents: [], errors: ['invalid_date date'], warnings: [] },
    ],
    [
      'without a source a yes is no consent, whatever the date',
      ['a@example.pl', 'PL', '', '', 'tak', '', '', '03.04.2026', '', ''],
      { consents: [], errors: [], warnings: ['consent_without_evidence wa'] },
    ],
    [
      'an IP that is not one is left out, with a warning',
      ['a@example.pl', 'PL', 'tak', '', '', '', '', '03.04.2026', 'formularz v2', 'unknown'],
      { consents: ['email.marketing granted 2026-04-03 formularz v2'], errors: [], warnings: ['invalid_ip ip'] },
    ],
  ])('%s', (_name, record, expected) => {
    expect(brief(read(record))).toEqual(expected);
  });
});

describe('Amazon buyers', () => {
  const header = ['email', 'market', 'sales channel', 'wa', 'date', 'source'];
  const read = validator(header, ['email', 'market', 'orderSource', 'whatsapp.marketing', 'consent.date', 'consent.source']);

  it.each([
    ['a relay e-mail address', ['x7k2@marketplace.amazon.de', 'DE', '', '', '', ''], 'amazon'],
    ['an order source naming Amazon', ['anna@example.de', 'DE', 'Amazon.de', '', '', ''], 'amazon'],
    ['a consent source naming an Amazon order', ['anna@example.de', 'DE', '', 'ja', '01.04.2026', 'Amazon Bestellung'], 'amazon'],
    ["the seller's own shop", ['anna@example.de', 'DE', 'Shopify', 'ja', '01.04.2026', 'Checkout Checkbox'], null],
  ])('%s', (_case, cells, marketplace) => {
    expect(read(cells).customer.marketplace).toBe(marketplace);
  });
});
