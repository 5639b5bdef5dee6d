// What a seller or support agent types to record consent by hand: a grant needs its source and evidence, a
// withdrawal its reason; nothing is ever pre-filled as consent.
import { z } from '@/lib/zod';
import { CHANNELS, PURPOSES } from '@/lib/consent';
import type { ConsentEvidence } from '@/db/schema';

const text = (max: number) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().max(max, 'too_long').optional());

export const MANUAL_SOURCES = ['support_call', 'web_form', 'checkout', 'email', 'paper_form', 'in_store', 'other'] as const;

export const recordConsentSchema = z
  .object({
    customerId: z.coerce.number().int().positive(),
    kind: z.enum(['granted', 'confirmed', 'withdrawn'], { message: 'kind_required' }),
    channel: z.enum(CHANNELS, { message: 'channel_required' }),
    purpose: z.enum([...PURPOSES, 'all'], { message: 'purpose_required' }),
    occurredAt: z.string({ message: 'occurred_required' }).trim().min(1, 'occurred_required'),
    source: z.enum(MANUAL_SOURCES, { message: 'source_required' }),
    wording: text(2000),
    formVersion: text(200),
    proofReference: text(500),
    reason: text(1000),
    doubleOptIn: z.preprocess((v) => v === 'on' || v === 'true', z.boolean()),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'granted' && !v.wording && !v.formVersion && !v.proofReference) {
      ctx.addIssue({ code: 'custom', path: ['wording'], message: 'evidence_required' });
    }
    if (v.kind === 'withdrawn' && !v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'reason_required' });
    if (v.kind !== 'withdrawn' && v.purpose === 'all') ctx.addIssue({ code: 'custom', path: ['purpose'], message: 'purpose_required' });
  });
export type RecordConsentInput = z.infer<typeof recordConsentSchema>;

export function evidenceOf(input: RecordConsentInput, request: { ip?: string; userAgent?: string }): ConsentEvidence {
  return {
    wording: input.wording,
    formVersion: input.formVersion,
    proofReference: input.proofReference,
    reason: input.reason,
    doubleOptIn: input.kind === 'granted' && input.doubleOptIn ? true : undefined,
    ip: request.ip,
    userAgent: request.userAgent,
  };
}
