import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { DbHandle } from '@/db';
import { auditLog, marketPolicies, users } from '@/db/schema';
import { createTestDb, testDrivers } from '@/db/testing';
import { generateConsentData } from '@/lib/consent-store/test-data';
import { coverageMatrix } from '@/lib/coverage/queries';
import type { RuleInput } from './rules';
import { addMarket, contactableChange, ruleSchema, updateRule } from './rules';

const base = { market: 'DE', channel: 'email', purpose: 'marketing', legalReference: 'UWG §7(2) Nr. 2' };

describe('rule input', () => {
  it.each([
    ['a valid rule', { ...base, priorConsentRequired: 'on', doubleOptInRequired: 'on', consentValidMonths: '24' }, true],
    ['no expiry when empty', { ...base, priorConsentRequired: 'on', consentValidMonths: '' }, true],
    ['zero months', { ...base, priorConsentRequired: 'on', consentValidMonths: '0' }, false],
    ['a fraction of months', { ...base, priorConsentRequired: 'on', consentValidMonths: '1.5' }, false],
    ['no legal reference', { ...base, legalReference: ' ' }, false],
    ['the exception on WhatsApp', { ...base, channel: 'whatsapp', existingCustomerException: 'on' }, false],
    ['the exception for transactional', { ...base, purpose: 'transactional', existingCustomerException: 'on' }, false],
    ['double opt-in without prior consent', { ...base, doubleOptInRequired: 'on' }, false],
    ['a market that is not a code', { ...base, market: 'Germany' }, false],
  ])('%s', (_rule, input, valid) => {
    expect(ruleSchema.safeParse(input).success).toBe(valid);
  });
});

describe.each(testDrivers())('editing market rules on %s', (driver) => {
  let h: DbHandle;
  let admin: number;
  const NOW = new Date();
  beforeAll(async () => {
    h = await createTestDb(driver);
    await generateConsentData(h.db, 1500, NOW);
    const [u] = await h.db
      .insert(users)
      .values({ email: 'a@example.com', name: 'A', role: 'admin', passwordHash: 'x' })
      .returning({ id: users.id });
    admin = u!.id;
  }, 120_000);
  afterAll(async () => h?.close());

  const allowed = async (market: string, channel: string, purpose: string) =>
    (await coverageMatrix({ markets: [market] }, { now: NOW }, h.db)).find((c) => c.channel === channel && c.purpose === purpose)
      ?.allowed ?? 0;
  const rule = async (
    market: string,
    channel: 'email' | 'sms' | 'whatsapp' | 'phone',
    purpose: 'marketing' | 'transactional',
  ): Promise<RuleInput> => {
    const [r] = await h.db
      .select()
      .from(marketPolicies)
      .where(and(eq(marketPolicies.market, market), eq(marketPolicies.channel, channel), eq(marketPolicies.purpose, purpose)));
    return r!;
  };

  it('asks before a change that lets more customers be contacted, and says how many', async () => {
    const before = await allowed('DE', 'email', 'marketing');
    const relaxed = { ...(await rule('DE', 'email', 'marketing')), doubleOptInRequired: false };
    const first = await updateRule(h.db, relaxed, admin, false);
    expect(first).toMatchObject({ ok: false, error: 'confirm' });
    expect(await allowed('DE', 'email', 'marketing')).toBe(before);
    const more = (first as { moreContactable: number }).moreContactable;
    expect(more).toBeGreaterThan(0);
    expect(await updateRule(h.db, relaxed, admin, true)).toEqual({ ok: true });
    expect(await allowed('DE', 'email', 'marketing')).toBe(before + more);
  });

  it('makes a stricter change at once and audits before and after', async () => {
    const before = await allowed('PL', 'sms', 'marketing');
    const stricter = { ...(await rule('PL', 'sms', 'marketing')), doubleOptInRequired: true };
    expect(await contactableChange(h.db, [{ ...stricter }], NOW)).toBeLessThanOrEqual(0);
    expect(await updateRule(h.db, stricter, admin, false)).toEqual({ ok: true });
    expect(await allowed('PL', 'sms', 'marketing')).toBeLessThan(before);
    const [entry] = await h.db.select().from(auditLog).where(eq(auditLog.entityId, 'PL:sms:marketing'));
    expect(entry).toMatchObject({
      action: 'market_rule.update',
      actorId: admin,
      before: { doubleOptInRequired: false },
      after: { doubleOptInRequired: true },
    });
  });

  it('counts a change of validity, which is judged in the database', async () => {
    const shorter = { ...(await rule('ES', 'email', 'marketing')), consentValidMonths: 1 };
    expect(await contactableChange(h.db, [shorter], NOW)).toBeLessThan(0);
  });

  it('adds a market from a template, asking first when it opens customers up', async () => {
    expect(await allowed('US', 'email', 'transactional')).toBe(0);
    const first = await addMarket(h.db, 'US', 'EU', admin, false);
    expect(first).toMatchObject({ ok: false, error: 'confirm' });
    expect(await addMarket(h.db, 'US', 'EU', admin, true)).toEqual({ ok: true });
    expect(await allowed('US', 'email', 'transactional')).toBeGreaterThan(0);
    expect(await addMarket(h.db, 'US', 'EU', admin, true)).toEqual({ ok: false, error: 'exists' });
    expect(await addMarket(h.db, 'GB', 'XX', admin, true)).toEqual({ ok: false, error: 'unknown_template' });
  });
});
