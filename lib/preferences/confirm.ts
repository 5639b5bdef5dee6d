// A grant on the preference centre where the market's rule asks for double opt-in: the customer gets the same
// confirmation mail a hosted form sends, in the page's language, so that the grant can become consent.
import { desc, eq } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { confirmations, customers, optInFormVersions } from '@/db/schema';
import type { Channel, Purpose } from '@/lib/consent';
import { mailSettings } from '@/lib/mail/send';
import { createConfirmation } from '@/lib/opt-in/confirm';
import { sendConfirmation } from '@/lib/opt-in/mail';
import type { PublicLocale } from '@/lib/public/locale';

/**
 * The shop a confirmation mail names when no form asked for it: the one this customer was last asked to confirm for,
 * else the newest hosted form's shop, else the sender's name in MAIL_FROM ("Kwiatek <noreply@kwiatek.pl>"), else the
 * sender's domain.
 */
export async function shopNameFor(
  q: Queryable,
  customerId: number,
  env: Record<string, string | undefined> = process.env,
): Promise<string> {
  const [asked] = await q
    .select({ shopName: confirmations.shopName })
    .from(confirmations)
    .where(eq(confirmations.customerId, customerId))
    .orderBy(desc(confirmations.createdAt))
    .limit(1);
  if (asked) return asked.shopName;
  const [form] = await q
    .select({ shopName: optInFormVersions.shopName })
    .from(optInFormVersions)
    .orderBy(desc(optInFormVersions.createdAt))
    .limit(1);
  if (form) return form.shopName;
  const from = env.MAIL_FROM?.trim() ?? '';
  const named = /^\s*"?([^"<]*?)"?\s*</.exec(from)?.[1]?.trim();
  if (named) return named;
  return /@([^>\s]+)/.exec(from)?.[1] ?? from;
}

/**
 * Asks the customer by mail to confirm a grant just recorded as pending. False when nothing could be sent: no mail
 * server, no e-mail address, the server refused it (the request keeps why, as for a form).
 */
export async function requestGrantConfirmation(
  q: Queryable,
  grant: { customerId: number; channel: Channel; purpose: Purpose; grantedAt: Date },
  locale: PublicLocale,
  baseUrl: string,
): Promise<boolean> {
  if (!mailSettings()) return false;
  const [customer] = await q.select({ email: customers.email }).from(customers).where(eq(customers.id, grant.customerId));
  if (!customer?.email) return false;
  const asked = {
    customerId: grant.customerId,
    items: [{ channel: grant.channel, purpose: grant.purpose, grantedAt: grant.grantedAt.toISOString() }],
    shopName: await shopNameFor(q, grant.customerId),
    language: locale,
  };
  const issued = await createConfirmation(q, asked, grant.grantedAt);
  return (await sendConfirmation(q, { ...asked, ...issued, to: customer.email }, baseUrl)) === 'sent';
}
