// Editing the per-market rules: validated, audited with before and after, and a change that lets more customers be
// contacted is only made once the admin has seen how many.
import { and, eq } from 'drizzle-orm';
import { z } from '@/lib/zod';
import type { Db, Queryable } from '@/db';
import { marketPolicies } from '@/db/schema';
import { writeAudit } from '@/lib/audit/write';
import type { Policy, PolicyKey } from '@/lib/consent';
import { CHANNELS, EU_FALLBACK, PURPOSES, policyKey } from '@/lib/consent';
import { toPolicy } from '@/lib/consent-store/policies';
import { coverageBasis, matrixFrom } from '@/lib/coverage/queries';

const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean());

export const ruleSchema = z
  .object({
    market: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, 'market_invalid'),
    channel: z.enum(CHANNELS, { message: 'channel_invalid' }),
    purpose: z.enum(PURPOSES, { message: 'purpose_invalid' }),
    priorConsentRequired: checkbox,
    doubleOptInRequired: checkbox,
    existingCustomerException: checkbox,
    consentValidMonths: z.preprocess(
      (v) => (v === '' || v === null || v === undefined ? null : v),
      z.coerce.number({ message: 'months_invalid' }).int('months_invalid').min(1, 'months_invalid').max(120, 'months_invalid').nullable(),
    ),
    legalReference: z.string({ message: 'reference_required' }).trim().min(3, 'reference_required').max(300, 'reference_too_long'),
  })
  .refine((r) => !r.existingCustomerException || (r.purpose === 'marketing' && (r.channel === 'email' || r.channel === 'sms')), {
    message: 'exception_channel',
    path: ['existingCustomerException'],
  })
  .refine((r) => !r.doubleOptInRequired || r.priorConsentRequired, {
    message: 'double_opt_in_without_consent',
    path: ['doubleOptInRequired'],
  });
export type RuleInput = z.infer<typeof ruleSchema>;

export const newMarketSchema = z.object({
  market: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, 'market_invalid')
    .refine((m) => m !== EU_FALLBACK, 'market_invalid'),
  copyFrom: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, 'market_invalid'),
});

export type RuleChangeResult =
  | { ok: true }
  | { ok: false; error: 'not_found' | 'exists' | 'unknown_template' }
  | { ok: false; error: 'confirm'; moreContactable: number };

/** How many more customers (negative: fewer) the rules would let be contacted if `changed` replaced what is there. */
export async function contactableChange(q: Queryable, changed: Policy[], now = new Date()): Promise<number> {
  // The fallback reaches every EU market without rules of its own, so it is weighed over all customers.
  const markets = changed.some((p) => p.market === EU_FALLBACK) ? undefined : [...new Set(changed.map((p) => p.market))];
  const basis = await coverageBasis({ markets }, q);
  const before = basis.policies;
  const after = new Map<PolicyKey, Policy>(before);
  for (const p of changed) after.set(policyKey(p.market, p.channel, p.purpose), p);
  // Expiry is judged in the database under each set of rules, so each set is counted on its own.
  const allowed = async (policies: Map<PolicyKey, Policy>) =>
    (await matrixFrom(basis, { markets }, { now, policies }, q)).reduce((s, c) => s + c.allowed, 0);
  return (await allowed(after)) - (await allowed(before));
}

export async function updateRule(db: Db, input: RuleInput, actorId: number, confirmed: boolean): Promise<RuleChangeResult> {
  return db.transaction(async (tx) => {
    const where = and(
      eq(marketPolicies.market, input.market),
      eq(marketPolicies.channel, input.channel),
      eq(marketPolicies.purpose, input.purpose),
    );
    const [current] = await tx.select().from(marketPolicies).where(where).for('update');
    if (!current) return { ok: false, error: 'not_found' } as const;
    const more = await contactableChange(tx, [toPolicy(input)]);
    if (more > 0 && !confirmed) return { ok: false, error: 'confirm', moreContactable: more } as const;
    await tx
      .update(marketPolicies)
      .set({ ...toPolicy(input), updatedAt: new Date(), updatedBy: actorId })
      .where(where);
    await writeAudit(tx, {
      actorId,
      action: 'market_rule.update',
      entity: 'market_policy',
      entityId: policyKey(input.market, input.channel, input.purpose),
      before: toPolicy(current),
      after: { ...toPolicy(input), contactableChange: more },
    });
    return { ok: true } as const;
  });
}

/** Adds a market with the rules of another (or of the EU fallback) to start from. */
export async function addMarket(db: Db, market: string, copyFrom: string, actorId: number, confirmed: boolean): Promise<RuleChangeResult> {
  return db.transaction(async (tx) => {
    const existing = await tx
      .select({ market: marketPolicies.market })
      .from(marketPolicies)
      .where(eq(marketPolicies.market, market))
      .limit(1);
    if (existing.length > 0) return { ok: false, error: 'exists' } as const;
    const template = await tx.select().from(marketPolicies).where(eq(marketPolicies.market, copyFrom));
    if (template.length === 0) return { ok: false, error: 'unknown_template' } as const;
    const rules = template.map((r) => ({ ...toPolicy(r), market }));
    const more = await contactableChange(tx, rules);
    if (more > 0 && !confirmed) return { ok: false, error: 'confirm', moreContactable: more } as const;
    await tx.insert(marketPolicies).values(rules.map((r) => ({ ...r, updatedBy: actorId })));
    await writeAudit(tx, {
      actorId,
      action: 'market.add',
      entity: 'market_policy',
      entityId: market,
      after: { copyFrom, rules, contactableChange: more },
    });
    return { ok: true } as const;
  });
}
