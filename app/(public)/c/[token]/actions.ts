'use server';

import { headers } from 'next/headers';
import { getDb } from '@/db';
import { clientIp } from '@/lib/auth/client-ip';
import { rateLimit } from '@/lib/http/rate-limit';
import { requestLogger } from '@/lib/log';
import { confirmByLink } from '@/lib/opt-in/confirm';
import { itemLabels } from '@/lib/opt-in/mail';
import { publicTranslator } from '@/lib/public/i18n';
import { isPublicLocale, publicLocale } from '@/lib/public/locale';

export type ConfirmState = { ok: boolean; title: string; message: string; items: string[]; note?: string } | null;

/**
 * The customer's click on "confirm": only this POST confirms (a mail scanner fetching the link only reads the page).
 * Public: the signed, single-use token is the proof; Next.js refuses a server action from another origin.
 */
export async function confirmAction(token: string, _prev: ConfirmState): Promise<ConfirmState> {
  const h = await headers();
  const ip = clientIp(h);
  const fallback = publicLocale(null, h.get('accept-language'));
  if (!rateLimit('confirm', ip, { limit: 30, windowSeconds: 600 }).ok) {
    const common = await publicTranslator(fallback, 'public');
    return { ok: false, title: common('rateLimitedTitle'), message: common('rateLimited'), items: [] };
  }
  try {
    const outcome = await confirmByLink(await getDb(), String(token), { ip, userAgent: h.get('user-agent')?.slice(0, 500) });
    const language = outcome.ok ? outcome.view.language : outcome.language;
    const locale = isPublicLocale(language) ? language : fallback;
    if (!outcome.ok) {
      const common = await publicTranslator(locale, 'public');
      const kind = { invalid: 'linkInvalid', expired: 'linkExpired', used: 'linkUsed' }[outcome.reason];
      return { ok: false, title: common(`${kind}Title`), message: common(kind), items: [] };
    }
    const t = await publicTranslator(locale, 'optIn');
    const shop = outcome.view.shopName;
    if (outcome.confirmed.length === 0) return { ok: true, title: t('confirmedTitle'), message: t('confirmedNothing'), items: [] };
    return {
      ok: true,
      title: t('confirmedTitle'),
      message: t('confirmedText', { shop }),
      items: await itemLabels(locale, outcome.confirmed),
      note: t('confirmedWithdraw'),
    };
  } catch (error) {
    (await requestLogger()).error({ err: error }, 'confirmation failed');
    const common = await publicTranslator(fallback, 'public');
    return { ok: false, title: common('serverErrorTitle'), message: common('serverError'), items: [] };
  }
}
