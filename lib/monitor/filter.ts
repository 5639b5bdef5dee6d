// The monitor's filter in the URL: a date range (UTC days), markets and the grain of the opt-out charts.
import { z } from '@/lib/zod';
import { one } from '@/lib/customers/filter';

const DAY = 86_400_000;
const many = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)));

const schema = z.object({
  from: z.preprocess(one, day.optional().catch(undefined)),
  to: z.preprocess(one, day.optional().catch(undefined)),
  market: z.preprocess(
    many,
    z
      .array(z.string().regex(/^[A-Z]{2}$/))
      .max(50)
      .catch([]),
  ),
  grain: z.preprocess(one, z.enum(['day', 'week']).catch('week')),
});

export type MonitorParams = { from: string; to: string; market: string[]; grain: 'day' | 'week' };

export const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** Defaults to the last twelve months; a range longer than two years or reversed is clamped. */
export function parseMonitorParams(params: Record<string, string | string[] | undefined>, now = new Date()): MonitorParams {
  const p = schema.parse(params);
  const today = isoDay(now);
  let to = p.to && p.to <= today ? p.to : today;
  let from = p.from ?? isoDay(new Date(Date.parse(`${to}T00:00:00Z`) - 364 * DAY));
  if (from > to) [from, to] = [to, from];
  const earliest = isoDay(new Date(Date.parse(`${to}T00:00:00Z`) - 731 * DAY));
  if (from < earliest) from = earliest;
  return { from, to, market: p.market, grain: p.grain };
}

export function monitorQuery(p: Partial<MonitorParams>): string {
  const params = new URLSearchParams();
  if (p.from) params.set('from', p.from);
  if (p.to) params.set('to', p.to);
  for (const m of p.market ?? []) params.append('market', m);
  if (p.grain) params.set('grain', p.grain);
  return params.toString();
}
