// Generated customers and ledgers that take every branch of the consent decision, for database tests.
import { and, eq } from 'drizzle-orm';
import type { Db } from '@/db';
import { consentEvents, customers, marketPolicies } from '@/db/schema';
import type { EventKind } from '@/lib/consent';
import { CHANNELS, PURPOSES } from '@/lib/consent';
import { ensureDefaultPolicies } from './policies';
import { rebuildConsentState } from './project';

const DAY = 86_400_000;

/** Fills an empty database with `count` customers, their ledgers and states, and a few non-default rules. */
export async function generateConsentData(db: Db, count: number, now: Date): Promise<void> {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const maybe = <T>(p: number, value: () => T): T | null => (rnd() < p ? value() : null);
  const past = (maxDays: number) => new Date(now.getTime() - Math.floor(rnd() * maxDays * DAY) - Math.floor(rnd() * DAY));
  await ensureDefaultPolicies(db);
  // Rules an admin might set, so that every branch of the decision is taken.
  await db.update(marketPolicies).set({ consentValidMonths: 3 }).where(eq(marketPolicies.market, 'PL'));
  await db.update(marketPolicies).set({ consentValidMonths: 1, doubleOptInRequired: true }).where(eq(marketPolicies.market, 'NL'));
  await db
    .update(marketPolicies)
    .set({ priorConsentRequired: false })
    .where(and(eq(marketPolicies.market, 'IT'), eq(marketPolicies.channel, 'phone')));
  await db.insert(marketPolicies).values({
    market: 'CH',
    channel: 'email',
    purpose: 'marketing',
    priorConsentRequired: true,
    doubleOptInRequired: false,
    existingCustomerException: true,
    consentValidMonths: 12,
    legalReference: 'UWG (CH) Art. 3 lit. o',
  });

  const markets = ['DE', 'AT', 'PL', 'FR', 'NL', 'IT', 'ES', 'BE', 'SE', 'US', 'CH', 'GB'];
  // Amazon buyers: some marked by their order source, some known only by a relay address (in the case exports write).
  const relayDomains = [
    'marketplace.amazon.de',
    'Marketplace.Amazon.co.uk',
    'marketplace.amazon.pl',
    'eu.marketplace.amazon.fr',
    'marketplace.amazon.com.be',
  ];
  const rows = Array.from({ length: count }, () => {
    const amazon = rnd();
    const relay = amazon < 0.12;
    return {
      market: pick(markets),
      email: maybe(0.85, () =>
        relay ? `${Math.floor(rnd() * 1e12).toString(36)}@${pick(relayDomains)}` : `c${Math.floor(rnd() * 1e9)}@example.com`,
      ),
      phone: maybe(0.8, () => `+4915${String(Math.floor(rnd() * 1e9)).padStart(9, '0')}`),
      source: 'test',
      marketplace: amazon < 0.25 && (amazon < 0.06 || amazon >= 0.12) ? 'amazon' : null,
      erasedAt: maybe(0.03, () => past(30)),
      lastOrderAt: maybe(0.6, () => past(400)),
      objectionNoticeAt: maybe(0.5, () => past(400)),
    };
  });
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += 500) {
    const inserted = await db
      .insert(customers)
      .values(rows.slice(i, i + 500))
      .returning({ id: customers.id });
    ids.push(...inserted.map((r) => r.id));
  }
  const events = ids.flatMap((customerId) =>
    CHANNELS.flatMap((channel) =>
      PURPOSES.flatMap((purpose) =>
        Array.from({ length: Math.floor(rnd() * 4) }, () => {
          const kind = pick<EventKind>(['granted', 'granted', 'confirmed', 'withdrawn']);
          return {
            customerId,
            channel,
            purpose,
            kind,
            occurredAt: past(200),
            source: pick(['web_form', 'import', 'support_call', 'checkout', 'whatsapp_keyword']),
            evidence: { proofReference: 'test', doubleOptIn: kind === 'granted' && rnd() < 0.4 ? true : undefined },
          };
        }),
      ),
    ),
  );
  for (let i = 0; i < events.length; i += 1000) await db.insert(consentEvents).values(events.slice(i, i + 1000));
  for (let i = 0; i < ids.length; i += 500) await rebuildConsentState(db, ids.slice(i, i + 500));
}
