// The consent API's requests and answers as zod schemas: the handlers parse with them and the OpenAPI document is
// generated from them, so the two cannot drift apart. Contact data is read with the import's rules.
import type { Channel, Purpose } from '@/lib/consent';
import { ALLOW_REASONS, BLOCK_REASONS, CHANNELS, EVENT_KINDS, NOT_SELLER_OWN_SOURCES, PURPOSES, STATUSES } from '@/lib/consent';
import { hasGrantEvidence } from '@/lib/consent-store/record';
import { readCountry, readEmail, readLanguage, readPhone } from '@/lib/import/values';
import { z } from '@/lib/zod';

const optionalText = (max: number) => z.string().trim().min(1, 'Must not be empty.').max(max, `At most ${max} characters.`).optional();
const DATE_TIME_MESSAGE = 'An ISO 8601 date and time with an offset, e.g. 2026-03-01T10:00:00Z.';
const dateTime = z.iso.datetime({ offset: true, message: DATE_TIME_MESSAGE });

/** Exactly one way to name the customer: Zgoda's id, the shop's external id, the e-mail or the phone. */
const customerRefShape = {
  customerId: z.coerce.number({ message: 'A customer id is a positive integer.' }).int().positive().optional(),
  externalId: optionalText(200),
  email: optionalText(254),
  phone: optionalText(40),
};
export type CustomerRef =
  | { by: 'id'; customerId: number }
  | { by: 'externalId'; externalId: string }
  | { by: 'email'; email: string }
  | { by: 'phone'; phone: string };

const REF_FIELDS = ['customerId', 'externalId', 'email', 'phone'] as const;

/** The one customer reference of a request, with the e-mail and phone in the forms stored; an issue when it is not one. */
function customerRefOf(
  v: { customerId?: number; externalId?: string; email?: string; phone?: string },
  ctx: z.RefinementCtx,
): CustomerRef | undefined {
  const given = REF_FIELDS.filter((f) => v[f] !== undefined);
  if (given.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      path: [given[1] ?? 'customerId'],
      message: 'Name the customer by exactly one of customerId, externalId, email or phone.',
    });
    return undefined;
  }
  if (v.customerId !== undefined) return { by: 'id', customerId: v.customerId };
  if (v.externalId !== undefined) return { by: 'externalId', externalId: v.externalId };
  if (v.email !== undefined) {
    const email = readEmail(v.email);
    if (!email) ctx.addIssue({ code: 'custom', path: ['email'], message: 'Not a valid e-mail address.' });
    return email ? { by: 'email', email } : undefined;
  }
  // Without a market to read it in, a phone must be international (+49 ..., 0049 ...).
  const phone = readPhone(v.phone!, null);
  if (!phone) ctx.addIssue({ code: 'custom', path: ['phone'], message: 'Not a valid phone number in international form (+49 ...).' });
  return phone ? { by: 'phone', phone } : undefined;
}

// ---------------------------------------------------------------- customers

const clearable = (max: number) => z.string().trim().max(max, `At most ${max} characters.`).nullable().optional();

export const customerInputSchema = z
  .object({
    externalId: optionalText(200).describe("The shop's own id of the customer; matched first."),
    email: clearable(254).describe('Matched when no externalId is given; null clears it.'),
    phone: clearable(40).describe("Read in the market's format or international; stored as E.164; null clears it."),
    market: z.string().trim().optional().describe('Country, ISO 3166-1 alpha-2 (or its name); required for a new customer.'),
    firstName: clearable(200),
    lastName: clearable(200),
    language: clearable(35).describe('BCP 47, e.g. de or de-AT.'),
    lastOrderAt: z.string().nullable().optional().describe('ISO 8601 date and time with an offset.'),
    objectionNoticeAt: z
      .string()
      .nullable()
      .optional()
      .describe('When the customer was told they may object to e-mail advertising (existing-customer exception).'),
  })
  .strict()
  .transform((v, ctx) => {
    const market = v.market === undefined ? undefined : readCountry(v.market);
    if (market === null) ctx.addIssue({ code: 'custom', path: ['market'], message: 'Not a country code (ISO 3166-1 alpha-2).' });
    const read = <T>(field: keyof typeof v, value: string | null | undefined, reader: (s: string) => T | null, message: string) => {
      if (value === undefined || value === null || value === '') return value === '' ? null : value;
      const parsed = reader(value);
      if (parsed === null) ctx.addIssue({ code: 'custom', path: [field], message });
      return parsed;
    };
    const email = read('email', v.email, readEmail, 'Not a valid e-mail address.');
    const phone = read('phone', v.phone, (s) => readPhone(s, market ?? null), 'Not a valid phone number for the market.');
    const language = read('language', v.language, readLanguage, 'Not a language tag (BCP 47).');
    // Read here rather than by the field's schema, so that a bad date is reported with every other bad field.
    const instant = (s: string) => (dateTime.safeParse(s).success ? new Date(s) : null);
    const lastOrderAt = read('lastOrderAt', v.lastOrderAt, instant, DATE_TIME_MESSAGE);
    const objectionNoticeAt = read('objectionNoticeAt', v.objectionNoticeAt, instant, DATE_TIME_MESSAGE);
    if (!v.externalId && !email && !phone) {
      ctx.addIssue({ code: 'custom', path: ['externalId'], message: 'Give an externalId, an email or a phone to find the customer by.' });
    }
    return {
      externalId: v.externalId,
      email: email as string | null | undefined,
      phone: phone as string | null | undefined,
      market: market ?? undefined,
      firstName: v.firstName === '' ? null : v.firstName,
      lastName: v.lastName === '' ? null : v.lastName,
      language: language as string | null | undefined,
      lastOrderAt: lastOrderAt as Date | null | undefined,
      objectionNoticeAt: objectionNoticeAt as Date | null | undefined,
    };
  });
export type CustomerInput = z.output<typeof customerInputSchema>;

export const customerSchema = z.object({
  id: z.number().int(),
  externalId: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  market: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  language: z.string().nullable(),
  lastOrderAt: z.string().nullable(),
  objectionNoticeAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  created: z.boolean().describe('true: the customer was created by this call (status 201); false: updated (200).'),
  withdrawnBySuppression: z.number().int().describe('Withdrawals recorded because a contact point given was suppressed before.'),
});
export type CustomerAnswer = z.infer<typeof customerSchema>;

// ---------------------------------------------------------------- consent events

/** Sources Zgoda writes itself; a caller cannot claim them (an import's or a keyword's grant is no act of the customer). */
const RESERVED_SOURCES: readonly string[] = NOT_SELLER_OWN_SOURCES;

export const evidenceSchema = z
  .object({
    wording: optionalText(4000).describe('The exact wording shown to the customer.'),
    formVersion: optionalText(200).describe('The version of the form or checkout the customer saw.'),
    proofReference: optionalText(500).describe('Where the proof is kept (order number, recording id, ...).'),
    ip: z.union([z.ipv4(), z.ipv6()], { message: 'Not an IP address.' }).optional(),
    userAgent: optionalText(1000),
    reason: optionalText(1000).describe('Why a withdrawal happened, in words.'),
  })
  .strict();

export const consentEventInputSchema = z
  .object({
    ...customerRefShape,
    channel: z.enum(CHANNELS, { message: `One of ${CHANNELS.join(', ')}.` }),
    purpose: z
      .enum([...PURPOSES, 'all'], { message: 'One of marketing, transactional or all (all: withdrawals only).' })
      .describe('all: every purpose, for a withdrawal only.'),
    kind: z.enum(EVENT_KINDS, { message: `One of ${EVENT_KINDS.join(', ')}.` }),
    occurredAt: dateTime.describe('When the customer did it.'),
    source: z
      .string()
      .trim()
      .regex(/^[a-z][a-z0-9_]{0,63}$/, 'A lower-case word such as checkout or web_form.')
      .refine((s) => !RESERVED_SOURCES.includes(s), 'This source is written by Zgoda itself.')
      .default('api')
      .describe('Where the customer did it: checkout, web_form, ... (default api).'),
    doubleOptIn: z.boolean().default(false).describe('A grant that waits for a double opt-in confirmation.'),
    evidence: evidenceSchema.default({}),
  })
  .strict()
  .transform((v, ctx) => {
    const ref = customerRefOf(v, ctx);
    if (v.kind === 'granted' && !hasGrantEvidence(v.evidence)) {
      ctx.addIssue({
        code: 'custom',
        path: ['evidence'],
        message: 'A grant needs evidence: the wording or form version shown, or a proof reference.',
      });
    }
    if (v.kind !== 'withdrawn' && v.purpose === 'all') {
      ctx.addIssue({ code: 'custom', path: ['purpose'], message: 'Only a withdrawal may name all purposes.' });
    }
    if (v.kind !== 'granted' && v.doubleOptIn)
      ctx.addIssue({ code: 'custom', path: ['doubleOptIn'], message: 'Only a grant waits for a double opt-in.' });
    return {
      ref: ref!,
      channel: v.channel,
      purposes: (v.purpose === 'all' ? [...PURPOSES] : [v.purpose]) as Purpose[],
      kind: v.kind,
      occurredAt: new Date(v.occurredAt),
      source: v.source,
      evidence: { ...v.evidence, doubleOptIn: v.doubleOptIn || undefined },
    };
  });
export type ConsentEventInput = z.output<typeof consentEventInputSchema>;

export const consentEventResultSchema = z.object({
  customerIds: z.array(z.number().int()).describe('Every customer record the event was recorded for (a withdrawal reaches each holder).'),
  events: z.array(
    z.object({
      id: z.number().int().nullable().describe('null: the same event was recorded before and nothing was written.'),
      customerId: z.number().int(),
      channel: z.enum(CHANNELS),
      purpose: z.enum(PURPOSES),
      status: z.enum(STATUSES).describe('The consent state after the event.'),
    }),
  ),
  suppressed: z.boolean().describe('The contact point was suppressed, so that records that get it later start withdrawn.'),
});
export type ConsentEventResult = z.infer<typeof consentEventResultSchema>;

// ---------------------------------------------------------------- decisions

/** The query parameters of a decision, each documented as a parameter of its own. */
export const decisionParams = z
  .object({
    ...customerRefShape,
    channel: z.enum(CHANNELS, { message: `One of ${CHANNELS.join(', ')}.` }),
    purpose: z.enum(PURPOSES, { message: `One of ${PURPOSES.join(', ')}.` }),
  })
  .strict();

export const decisionQuerySchema = decisionParams.transform((v, ctx) => ({
  ref: customerRefOf(v, ctx)!,
  channel: v.channel as Channel,
  purpose: v.purpose as Purpose,
}));
export type DecisionQuery = z.output<typeof decisionQuerySchema>;

const reason = z.enum([...ALLOW_REASONS, ...BLOCK_REASONS]);

const customerDecision = z.object({
  customerId: z.number().int(),
  market: z.string(),
  allowed: z.boolean(),
  reason,
  legalReference: z.string().nullable(),
});

export const decisionSchema = z.object({
  allowed: z.boolean(),
  reason: reason.describe('Why: consent, existing_customer, no_consent_required when allowed; the block reason otherwise.'),
  legalReference: z.string().nullable().describe("The rule of the customer's market (or Amazon's policy) the decision rests on."),
  channel: z.enum(CHANNELS),
  purpose: z.enum(PURPOSES),
  customerId: z.number().int().describe('The record decided on (with several, the first that blocks).'),
  market: z.string(),
  decidedAt: z.string(),
  customers: z
    .array(customerDecision)
    .describe('Each record that holds the e-mail or phone asked about: allowed only when every one of them is.'),
});
export type DecisionAnswer = z.infer<typeof decisionSchema>;

// ---------------------------------------------------------------- problems

export const problemSchema = z.object({
  type: z.string().describe('urn:zgoda:problem:<name>, or about:blank when the status says it all.'),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  errors: z
    .array(z.object({ field: z.string(), detail: z.string() }))
    .optional()
    .describe('The fields that are wrong, each with what is wrong with it.'),
});
export type Problem = z.infer<typeof problemSchema>;
