import { describe, expect, it } from 'vitest';
import { localToUtc, utcToLocal } from './time';

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

describe('UTC to local time', () => {
  it.each([
    ['2026-03-01T09:15:42Z', 'Europe/Warsaw', '2026-03-01T10:15'],
    ['2026-03-29T01:30:00Z', 'Europe/Warsaw', '2026-03-29T03:30'],
    ['2026-10-25T03:30:00Z', 'Europe/Berlin', '2026-10-25T04:30'],
    ['2026-12-31T23:59:00Z', 'Europe/Lisbon', '2026-12-31T23:59'],
    ['2026-12-31T23:59:00Z', 'Europe/Paris', '2027-01-01T00:59'],
  ])('%s in %s is %s on the wall clock, and reads back to the same minute', (iso, zone, local) => {
    expect(utcToLocal(new Date(iso), zone)).toBe(local);
    expect(localToUtc(local, zone)?.toISOString()).toBe(new Date(Math.floor(Date.parse(iso) / 60_000) * 60_000).toISOString());
  });
});
