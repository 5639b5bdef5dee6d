// What support types to log a complaint or move it along: a known customer or an unknown contact point, the kind,
// and whether it withdraws consent on the channel (on by default for the kinds that object to consent).
import { z } from '@/lib/zod';
import { CHANNELS } from '@/lib/consent';
import type { Channel } from '@/lib/consent';
import { readEmail, readPhone } from '@/lib/import/values';

export const COMPLAINT_KINDS = [
  'no_consent',
  'unwanted_marketing',
  'too_many_messages',
  'wrong_content',
  'phishing',
  'legal_notice',
  'other',
] as const;
export type ComplaintKind = (typeof COMPLAINT_KINDS)[number];
export const COMPLAINT_STATUSES = ['open', 'investigating', 'resolved'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

/** Kinds that object to being contacted at all: the form proposes a withdrawal for these. */
export const CONSENT_KINDS: readonly ComplaintKind[] = ['no_consent', 'unwanted_marketing', 'too_many_messages', 'legal_notice'];
export const WITHDRAW_SCOPES = ['none', 'marketing', 'all'] as const;
export type WithdrawScope = (typeof WITHDRAW_SCOPES)[number];

const text = (max: number) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().max(max, 'too_long').optional());
const optionalId = z.preprocess(
  (v) => (v === '' || v === undefined || v === null ? undefined : v),
  z.coerce.number().int().positive().optional(),
);

export const createComplaintSchema = z
  .object({
    customerId: optionalId,
    contactPhone: text(40),
    contactEmail: text(254),
    channel: z.enum(CHANNELS, { message: 'channel_required' }),
    market: z.preprocess(
      (v) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim().toUpperCase() : v),
      z
        .string()
        .regex(/^[A-Z]{2}$/, 'market_invalid')
        .optional(),
    ),
    kind: z.enum(COMPLAINT_KINDS, { message: 'kind_required' }),
    description: z.string({ message: 'description_required' }).trim().min(1, 'description_required').max(5000, 'too_long'),
    campaignId: optionalId,
    receivedAt: z.string({ message: 'received_required' }).trim().min(1, 'received_required'),
    withdraw: z.enum(WITHDRAW_SCOPES).catch('none'),
  })
  .transform((v, ctx) => {
    const phone = v.contactPhone ? readPhone(v.contactPhone, v.market ?? null) : undefined;
    const email = v.contactEmail ? readEmail(v.contactEmail) : undefined;
    if (v.contactPhone && !phone) ctx.addIssue({ code: 'custom', path: ['contactPhone'], message: 'phone_invalid' });
    if (v.contactEmail && !email) ctx.addIssue({ code: 'custom', path: ['contactEmail'], message: 'email_invalid' });
    if (!v.customerId && !v.contactPhone && !v.contactEmail)
      ctx.addIssue({ code: 'custom', path: ['contactPhone'], message: 'contact_required' });
    return { ...v, contactPhone: phone ?? undefined, contactEmail: email ?? undefined };
  });
export type CreateComplaintInput = z.output<typeof createComplaintSchema>;

export const updateComplaintSchema = z
  .object({
    complaintId: z.coerce.number().int().positive(),
    status: z.enum(COMPLAINT_STATUSES, { message: 'status_required' }),
    assigneeId: optionalId,
    resolutionNote: text(5000),
  })
  .superRefine((v, ctx) => {
    if (v.status === 'resolved' && !v.resolutionNote)
      ctx.addIssue({ code: 'custom', path: ['resolutionNote'], message: 'resolution_required' });
  });
export type UpdateComplaintInput = z.infer<typeof updateComplaintSchema>;

/** The contact point an unknown complainant used on a channel, to suppress. */
export function contactForChannel(channel: Channel, input: { contactPhone?: string; contactEmail?: string }) {
  return channel === 'email'
    ? input.contactEmail
      ? { kind: 'email' as const, value: input.contactEmail }
      : null
    : input.contactPhone
      ? { kind: 'phone' as const, value: input.contactPhone }
      : null;
}
