import { describe, expect, it } from 'vitest';
import { quietUntil } from './quiet-hours';

const settings = { quietHours: { start: '20:00', end: '08:00' }, quietHoursByMarket: { NL: null, PL: { start: '21:00', end: '09:00' } } };

describe('quiet hours', () => {
  it.each([
    ['a Berlin evening (21:30 CET) waits for 08:00 there', '2026-12-01T20:30:00Z', 'DE', '2026-12-02T07:00:00Z'],
    ['a Berlin morning (09:00 CET) goes', '2026-12-01T08:00:00Z', 'DE', null],
    ['just before the end (07:59 CET) waits a minute', '2026-12-01T06:59:30Z', 'DE', '2026-12-01T07:00:00Z'],
    ['summer time: 20:30 CEST is quiet until 08:00 CEST', '2026-07-01T18:30:00Z', 'DE', '2026-07-02T06:00:00Z'],
    ['Lisbon keeps its own hour: 19:30 WET goes', '2026-12-01T19:30:00Z', 'PT', null],
    ['a market with its own hours: 20:30 in Warsaw goes', '2026-12-01T19:30:00Z', 'PL', null],
    ['and 21:30 in Warsaw waits for 09:00', '2026-12-01T20:30:00Z', 'PL', '2026-12-02T08:00:00Z'],
    ['a market whose hours an admin switched off never waits', '2026-12-01T23:00:00Z', 'NL', null],
    ['an unknown market waits for the widest night of Europe', '2026-12-01T18:30:00Z', 'XX', '2026-12-02T08:00:00Z'],
  ])('%s', (_, at, market, until) => {
    const result = quietUntil(new Date(at), market, settings);
    expect(result?.toISOString() ?? null).toBe(until === null ? null : new Date(until).toISOString());
  });
});
