// CSV export of the coverage matrix.
import { share } from './matrix';
import type { CoverageCell } from './matrix';

const HEADER = [
  'market',
  'channel',
  'purpose',
  'customers',
  'granted',
  'pending_confirmation',
  'withdrawn',
  'unknown',
  'allowed',
  'allowed_share',
];

/** One line per market, channel and purpose; shares as decimals with four places, so spreadsheets read them in any locale. */
export function coverageCsv(cells: readonly CoverageCell[]): string {
  const lines = [...cells]
    .sort((a, b) => a.market.localeCompare(b.market) || a.channel.localeCompare(b.channel) || a.purpose.localeCompare(b.purpose))
    .map((c) => {
      const s = share(c.allowed, c.total);
      return [
        c.market,
        c.channel,
        c.purpose,
        c.total,
        c.granted,
        c.pending,
        c.withdrawn,
        c.unknown,
        c.allowed,
        s === null ? '' : s.toFixed(4),
      ].join(',');
    });
  return [HEADER.join(','), ...lines].join('\r\n') + '\r\n';
}
