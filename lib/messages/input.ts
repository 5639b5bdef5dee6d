// A draft as the editor sends it: parsed from FormData (structured parts travel as JSON) into the stored shape.
import { z } from '@/lib/zod';
import type { TemplateButton } from '@/db/schema';
import { VARIABLE_FIELDS } from '@/lib/whatsapp/cloud-api';

export const DRAFT_CATEGORIES = ['transactional', 'marketing'] as const;
export const DRAFT_STATUSES = ['draft', 'submitted', 'approved', 'rejected', 'exported'] as const;
export type DraftStatus = (typeof DRAFT_STATUSES)[number];

/** Whom a draft is meant for: markets (empty: all) and optional filters. */
export type Audience = { markets: string[]; source?: string; batch?: number; orderedSince?: string };

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'date');
const emptyToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);
const optionalText = (max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? null : v),
    z
      .string()
      .max(max * 4)
      .nullable()
      .default(null),
  );

export const audienceSchema = z.object({
  markets: z
    .array(z.string().regex(/^[A-Z]{2}$/))
    .max(50)
    .default([]),
  source: z.preprocess(emptyToUndefined, z.string().min(1).max(100).optional()),
  batch: z.preprocess(emptyToUndefined, z.coerce.number().int().positive().optional()),
  orderedSince: z.preprocess(emptyToUndefined, day.optional()),
});

const buttonSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('quick_reply'), text: z.string().max(200) }),
  z.object({ type: z.literal('url'), text: z.string().max(200), url: z.string().max(2000) }),
  z.object({ type: z.literal('phone_number'), text: z.string().max(200), phoneNumber: z.string().max(40) }),
]);

const json = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => {
    if (typeof v !== 'string') return v;
    try {
      return JSON.parse(v);
    } catch {
      return undefined;
    }
  }, schema);

/** Limits here only keep requests bounded; Meta's limits are checked by the template rules, with their own messages. */
export const draftInputSchema = z.object({
  id: z.preprocess(emptyToUndefined, z.coerce.number().int().positive().optional()),
  name: z.string().trim().max(2048),
  category: z.enum(DRAFT_CATEGORIES),
  language: z.string().trim().max(20),
  header: optionalText(60),
  headerExample: optionalText(200),
  body: z.string().max(8000),
  footer: optionalText(60),
  sender: optionalText(100),
  buttons: json(z.array(buttonSchema).max(20)).default([]),
  examples: json(z.array(z.string().max(1000)).max(50)).default([]),
  variableFields: json(z.array(z.enum(VARIABLE_FIELDS)).max(50)).default([]),
  audience: json(audienceSchema).default({ markets: [] }),
});
export type DraftInput = z.infer<typeof draftInputSchema>;

/** The stored buttons from parsed input (the schema's union is the stored union). */
export const asButtons = (b: DraftInput['buttons']): TemplateButton[] => b;

/** A draft id from a route parameter (drafts have 32-bit ids); null when it is not one. */
export function parseDraftId(value: string): number | null {
  const id = z.coerce.number().int().positive().max(2_147_483_647).safeParse(value);
  return id.success ? id.data : null;
}
