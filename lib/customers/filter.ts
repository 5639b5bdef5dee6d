// The customer list's filter, as it travels in the URL so that views can be shared and coverage can link to them.
import { z } from '@/lib/zod';
import { ALLOW_REASONS, BLOCK_REASONS, CHANNELS, PURPOSES, STATUSES } from '@/lib/consent';

/** The first of a repeated URL parameter. */
export const one = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const many = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (one(v) === '' ? undefined : one(v)), schema.optional().catch(undefined));

export const customerFilterSchema = z.object({
  q: optional(z.string().trim().min(1).max(200)),
  market: z.preprocess(
    many,
    z
      .array(z.string().regex(/^[A-Z]{2}$/))
      .max(50)
      .catch([]),
  ),
  channel: optional(z.enum(CHANNELS)),
  purpose: optional(z.enum(PURPOSES)),
  state: optional(z.enum(STATUSES)),
  decision: optional(z.enum(['allowed', 'blocked'])),
  /** The reason code of the decision (needs channel and purpose), e.g. the blocked groups of a message's audience. */
  reason: optional(z.enum([...ALLOW_REASONS, ...BLOCK_REASONS])),
  source: optional(z.string().min(1).max(100)),
  batch: optional(z.coerce.number().int().positive()),
  /** Customers whose last order was on or after this day. */
  orderedSince: optional(
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`))),
  ),
  asOf: optional(
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`))),
  ),
  page: z.preprocess(one, z.coerce.number().int().min(1).max(100_000).catch(1)),
});
export type CustomerFilter = z.infer<typeof customerFilterSchema>;

/** A customer id from a route parameter; null when it is not one. */
export function parseCustomerId(value: string): number | null {
  const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).safeParse(value);
  return id.success ? id.data : null;
}

export function parseCustomerFilter(params: Record<string, string | string[] | undefined>): CustomerFilter {
  return customerFilterSchema.parse(params);
}

/** State and decision only mean something for one channel and purpose. */
export function consentScope(f: CustomerFilter) {
  return f.channel && f.purpose ? { channel: f.channel, purpose: f.purpose } : null;
}

/** The URL query of a filter (without defaults), e.g. for a link from a coverage cell. */
export function customerFilterQuery(f: Partial<CustomerFilter>): string {
  const params = new URLSearchParams();
  if (f.q) params.set('q', f.q);
  for (const m of f.market ?? []) params.append('market', m);
  for (const key of ['channel', 'purpose', 'state', 'decision', 'reason', 'source', 'batch', 'orderedSince', 'asOf'] as const) {
    const value = f[key];
    if (value !== undefined && value !== null) params.set(key, String(value));
  }
  if (f.page && f.page > 1) params.set('page', String(f.page));
  return params.toString();
}
