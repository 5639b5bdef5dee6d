// Coverage maths: counts per market, channel and purpose turned into shares and totals.
import type { Channel, Purpose } from '@/lib/consent';

export type CoverageCounts = {
  total: number;
  granted: number;
  pending: number;
  withdrawn: number;
  unknown: number;
  /** Customers the market's rules allow contacting (from the SQL twin of evaluate). */
  allowed: number;
};
export type CoverageCell = CoverageCounts & { market: string; channel: Channel; purpose: Purpose };

export const EMPTY_COUNTS: CoverageCounts = { total: 0, granted: 0, pending: 0, withdrawn: 0, unknown: 0, allowed: 0 };

export function addCounts(a: CoverageCounts, b: CoverageCounts): CoverageCounts {
  return {
    total: a.total + b.total,
    granted: a.granted + b.granted,
    pending: a.pending + b.pending,
    withdrawn: a.withdrawn + b.withdrawn,
    unknown: a.unknown + b.unknown,
    allowed: a.allowed + b.allowed,
  };
}

/** A share between 0 and 1; an empty group has none rather than 0 %. */
export function share(part: number, total: number): number | null {
  return total === 0 ? null : part / total;
}

/** Totals per channel and purpose across the given cells' markets. */
export function totalsByColumn(cells: readonly CoverageCell[]): Map<string, CoverageCounts> {
  const totals = new Map<string, CoverageCounts>();
  for (const cell of cells) {
    const key = `${cell.channel}:${cell.purpose}`;
    totals.set(key, addCounts(totals.get(key) ?? EMPTY_COUNTS, cell));
  }
  return totals;
}

/** Shading step 0-4 for a heat map; the printed percentage carries the meaning, the shade only helps the eye. */
export function heatLevel(value: number | null): 0 | 1 | 2 | 3 | 4 {
  if (value === null || value <= 0) return 0;
  if (value < 0.25) return 1;
  if (value < 0.5) return 2;
  if (value < 0.75) return 3;
  return 4;
}
