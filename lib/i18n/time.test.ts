import { describe, expect, it } from 'vitest';
import { localToUtc } from './time';

describe('local time to UTC', () => {
  it.each([
    ['2026-01-15T10:00', 'Europe/Warsaw', '2026-01-15T09:00:00.000Z'],
    ['2026-07-15T10:00', 'Europe/Warsaw', '2026-07-15T08:00:00.000Z'],
    ['2026-07-15T10:00', 'UTC', '2026-07-15T10:00:00.000Z'],
    ['2026-03-29T03:30', 'Europe/Berlin', '2026-03-29T01:30:00.000Z'],
    ['2026-11-01T09:15', 'America/New_York', '2026-11-01T14:15:00.000Z'],
  ])('%s in %s', (local, tz, iso) => {
    expect(localToUtc(local, tz)?.toISOString()).toBe(iso);
  });

  it.each(['', '2026-02-30T10:00', '2026-01-15 10:00', 'yesterday', '2026-01-15T24:00'])('refuses %j', (local) => {
    expect(localToUtc(local, 'Europe/Warsaw')).toBeNull();
  });
});
