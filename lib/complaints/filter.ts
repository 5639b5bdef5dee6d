// The complaint list's filter, as it travels in the URL.
import { z } from '@/lib/zod';
import { CHANNELS } from '@/lib/consent';
import { one } from '@/lib/customers/filter';
import { COMPLAINT_KINDS, COMPLAINT_STATUSES } from './input';

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (one(v) === '' ? undefined : one(v)), schema.optional().catch(undefined));
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)));

export const complaintFilterSchema = z.object({
  status: optional(z.enum([...COMPLAINT_STATUSES, 'unresolved'])),
  kind: optional(z.enum(COMPLAINT_KINDS)),
  channel: optional(z.enum(CHANNELS)),
  market: optional(z.string().regex(/^[A-Z]{2}$/)),
  from: optional(day),
  to: optional(day),
  page: z.preprocess(one, z.coerce.number().int().min(1).max(100_000).catch(1)),
});
export type ComplaintFilter = z.infer<typeof complaintFilterSchema>;

export function parseComplaintFilter(params: Record<string, string | string[] | undefined>): ComplaintFilter {
  return complaintFilterSchema.parse(params);
}

export function complaintFilterQuery(f: Partial<ComplaintFilter>): string {
  const params = new URLSearchParams();
  for (const key of ['status', 'kind', 'channel', 'market', 'from', 'to'] as const) {
    const value = f[key];
    if (value) params.set(key, value);
  }
  if (f.page && f.page > 1) params.set('page', String(f.page));
  return params.toString();
}
