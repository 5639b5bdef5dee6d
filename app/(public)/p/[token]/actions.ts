'use server';

import { headers } from 'next/headers';
import { revalidatePath } from 'next/cache';
import { z } from '@/lib/zod';
import { getDb } from '@/db';
import { guarded } from '@/lib/actions/result';
import { clientIp } from '@/lib/auth/client-ip';
import { CHANNELS, PURPOSES } from '@/lib/consent';
import { rateLimit } from '@/lib/http/rate-limit';
import { grantPreference, withdrawPreference } from '@/lib/preferences/centre';
import { requestGrantConfirmation } from '@/lib/preferences/confirm';
import { linkBase, readCustomerLink } from '@/lib/preferences/links';
import { PREFERENCES_NAMESPACE, pageWording } from '@/lib/preferences/wording';
import { publicTranslator } from '@/lib/public/i18n';
import type { PublicLocale } from '@/lib/public/locale';
import { PUBLIC_LOCALES } from '@/lib/public/locale';

/** What a click on the preference centre answers: the sentence to show under the choice, and whether it worked. */
export type PreferenceActionState = { ok: boolean; message: string } | null;

const changeSchema = z.object({
  token: z.string().max(600),
  locale: z.enum(PUBLIC_LOCALES),
  intent: z.enum(['withdraw', 'grant']),
  channel: z.enum(CHANNELS),
  purpose: z.enum(PURPOSES),
  // The state's last event as the page showed it: empty when there was none.
  seen: z.union([z.literal(''), z.coerce.number().int().positive()]),
  version: z.string().max(100),
});

// A customer changes a few choices a minute; more from one address is a script.
const CHANGES_PER_MINUTE = 30;

async function requestFacts() {
  const h = await headers();
  return { ip: clientIp(h), userAgent: h.get('user-agent') };
}

/**
 * Public: whoever holds the customer's link may change that customer's choices, and nothing else; the signed token is
 * the proof, read again here. Next.js refuses a server action posted from another site (Origin against Host), and the
 * token itself is a secret of the customer's, so a forged post from elsewhere can change nothing.
 */
export async function changePreferenceAction(_prev: PreferenceActionState, formData: FormData): Promise<PreferenceActionState> {
  const parsed = changeSchema.safeParse(Object.fromEntries(formData));
  const locale: PublicLocale = parsed.success ? parsed.data.locale : 'en';
  const [t, common] = await Promise.all([publicTranslator(locale, PREFERENCES_NAMESPACE), publicTranslator(locale, 'public')]);
  if (!parsed.success) return { ok: false, message: common('linkInvalid') };
  const input = parsed.data;
  const request = await requestFacts();
  const limited = rateLimit('preferences-change', request.ip, { limit: CHANGES_PER_MINUTE, windowSeconds: 60 });
  if (!limited.ok) return { ok: false, message: common('rateLimited') };
  const link = readCustomerLink(input.token, 'preferences');
  if (!link.ok) return { ok: false, message: common(link.reason === 'expired' ? 'linkExpired' : 'linkInvalid') };
  const seen = input.seen === '' ? null : input.seen;
  const what = { purpose: t(`purposes.${input.purpose}`), channel: t(`channels.${input.channel}`) };
  const wording = await pageWording(locale);

  return guarded(
    'changing preferences',
    async () => {
      const db = await getDb();
      const target = { customerId: link.customerId, channel: input.channel, purpose: input.purpose, seen };
      const ctx = { pageVersion: wording.version, ...request };
      if (input.intent === 'withdraw') {
        const result = await withdrawPreference(db, target, ctx);
        if (!result.ok) return { ok: false, message: common('linkInvalid') };
        revalidatePath(`/p/${input.token}`);
        return { ok: true, message: result.changed ? t('saved.withdrawn', what) : t('saved.unchanged') };
      }
      // The sentence agreed to is the one this page shows in this language now; a page from before a change of its
      // wording is shown again rather than recorded with words the customer did not see.
      if (input.version !== wording.version) {
        revalidatePath(`/p/${input.token}`);
        return { ok: false, message: t('stale') };
      }
      const result = await grantPreference(db, { ...target, wording: wording.sentence(input.channel, input.purpose) }, ctx);
      revalidatePath(`/p/${input.token}`);
      if (!result.ok) return { ok: false, message: result.code === 'stale' ? t('stale') : common('linkInvalid') };
      if (!result.changed) return { ok: true, message: t('saved.unchanged') };
      if (!result.doubleOptIn) return { ok: true, message: t('saved.granted', what) };
      const links = linkBase(process.env, await headers());
      const grant = { ...target, grantedAt: result.events[0]?.state.grantedAt ?? new Date() };
      const mailed = links.ok && (await requestGrantConfirmation(db, grant, locale, links.base));
      return { ok: true, message: mailed ? t('saved.pending') : t('saved.pendingNoMail') };
    },
    { message: t('failed') },
  );
}
