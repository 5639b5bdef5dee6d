// Each monitor chart as one table (columns and rows): what the chart draws, its accessible table view and its CSV.
import { CHANNELS } from '@/lib/consent';
import { COMPLAINT_KINDS } from '@/lib/complaints/input';
import type { Queryable } from '@/db';
import type { MonitorParams } from './filter';
import { campaignRates, complaintSeries, marketRates, optOutSeries, SOURCE_GROUPS } from './queries';

export const MONITOR_CHARTS = ['channels', 'sources', 'complaints', 'campaigns', 'markets'] as const;
export type MonitorChart = (typeof MONITOR_CHARTS)[number];

export type Cell = string | number | null;
export type MonitorTable = { columns: string[]; rows: Cell[][] };

const DAY = 86_400_000;

/** Every period (day or Monday of an ISO week) from `from` to `to`, so that quiet periods show as zero. */
export function periods(from: string, to: string, grain: 'day' | 'week'): string[] {
  const start = new Date(`${from}T00:00:00Z`);
  if (grain === 'week') start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7));
  const end = Date.parse(`${to}T00:00:00Z`);
  const out: string[] = [];
  for (let t = start.getTime(); t <= end; t += (grain === 'day' ? 1 : 7) * DAY) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

function pivot<K extends string>(all: string[], keys: readonly K[], rows: Array<{ period: string; key: K; n: number }>): MonitorTable {
  const index = new Map(all.map((p, i) => [p, i]));
  const grid = all.map(() => keys.map(() => 0));
  for (const r of rows) {
    const i = index.get(r.period);
    const j = keys.indexOf(r.key);
    if (i !== undefined && j >= 0) grid[i]![j]! += r.n;
  }
  return { columns: ['period', ...keys], rows: all.map((p, i) => [p, ...grid[i]!]) };
}

export async function monitorTable(chart: MonitorChart, p: MonitorParams, q?: Queryable): Promise<MonitorTable> {
  switch (chart) {
    case 'channels':
    case 'sources': {
      const rows = await optOutSeries(p, q);
      const all = periods(p.from, p.to, p.grain);
      return chart === 'channels'
        ? pivot(
            all,
            CHANNELS,
            rows.map((r) => ({ period: r.period, key: r.channel, n: r.n })),
          )
        : pivot(
            all,
            SOURCE_GROUPS,
            rows.map((r) => ({ period: r.period, key: r.source, n: r.n })),
          );
    }
    case 'complaints': {
      const rows = await complaintSeries(p, q);
      return pivot(
        periods(p.from, p.to, 'week'),
        COMPLAINT_KINDS,
        rows.map((r) => ({ period: r.week, key: r.kind, n: r.n })),
      );
    }
    case 'campaigns': {
      const rows = await campaignRates(p, q);
      return {
        columns: ['campaign', 'sent', 'recipients', 'opt_outs', 'rate', 'complaints'],
        rows: rows.map((r) => [r.name, r.exportedAt.toISOString(), r.recipients, r.optOuts, r.rate, r.complaints]),
      };
    }
    case 'markets': {
      const rows = await marketRates(p, q);
      return { columns: ['market', 'opt_outs', 'customers', 'rate'], rows: rows.map((r) => [r.market, r.optOuts, r.customers, r.rate]) };
    }
  }
}

/** Rows as objects keyed by column, for the charts. */
export function records(table: MonitorTable): Array<Record<string, Cell>> {
  return table.rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c, row[i] ?? null])));
}
