import { describe, expect, it } from 'vitest';
import type { CoverageCell } from './matrix';
import { heatLevel, share, totalsByColumn } from './matrix';

const cell = (market: string, allowed: number, total: number): CoverageCell => ({
  market,
  channel: 'whatsapp',
  purpose: 'marketing',
  total,
  granted: allowed,
  pending: 0,
  withdrawn: 1,
  unknown: total - allowed - 1,
  allowed,
});

describe('coverage maths', () => {
  it.each([
    [0, 0, null],
    [0, 10, 0],
    [5, 10, 0.5],
    [10, 10, 1],
  ])('share of %i in %i is %s', (part, total, expected) => {
    expect(share(part, total)).toBe(expected);
  });

  it('adds markets up per channel and purpose', () => {
    const totals = totalsByColumn([cell('DE', 3, 10), cell('PL', 7, 30)]);
    expect(totals.get('whatsapp:marketing')).toEqual({ total: 40, granted: 10, pending: 0, withdrawn: 2, unknown: 28, allowed: 10 });
    expect(share(totals.get('whatsapp:marketing')!.allowed, totals.get('whatsapp:marketing')!.total)).toBe(0.25);
  });

  it.each([
    [null, 0],
    [0, 0],
    [0.1, 1],
    [0.25, 2],
    [0.6, 3],
    [0.75, 4],
    [1, 4],
  ] as const)('shade of %s is %i', (value, level) => {
    expect(heatLevel(value)).toBe(level);
  });
});
