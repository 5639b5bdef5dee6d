// The coverage page's filter in the URL.
import { z } from '@/lib/zod';
import { CHANNELS, PURPOSES } from '@/lib/consent';
import type { Channel, Purpose } from '@/lib/consent';
import { customerFilterSchema, one } from '@/lib/customers/filter';
import type { CoverageFilter } from './queries';

const COMBOS = CHANNELS.flatMap((c) => PURPOSES.map((p) => `${c}:${p}` as const));

const coverageParamsSchema = customerFilterSchema.pick({ market: true, source: true, batch: true, asOf: true }).extend({
  chart: z.preprocess(one, z.enum(COMBOS).catch('whatsapp:marketing')),
  trend: z.preprocess(one, z.enum(PURPOSES).catch('marketing')),
});
export type CoverageParams = z.infer<typeof coverageParamsSchema>;

export function parseCoverageParams(params: Record<string, string | string[] | undefined>): CoverageParams {
  const parsed = coverageParamsSchema.parse(params);
  // A day in the future has no coverage yet; today is what the page shows without a date.
  const today = new Date().toISOString().slice(0, 10);
  return { ...parsed, asOf: parsed.asOf && parsed.asOf < today ? parsed.asOf : undefined };
}

export function toCoverageFilter(p: CoverageParams): CoverageFilter {
  return { markets: p.market, sources: p.source ? [p.source] : undefined, batchIds: p.batch ? [p.batch] : undefined };
}

export function chartCombo(p: CoverageParams): { channel: Channel; purpose: Purpose } {
  const [channel, purpose] = p.chart.split(':') as [Channel, Purpose];
  return { channel, purpose };
}
