'use server';

import { headers } from 'next/headers';
import { z } from '@/lib/zod';
import { getDb } from '@/db';
import { guarded } from '@/lib/actions/result';
import { clientIp } from '@/lib/auth/client-ip';
import { rateLimit } from '@/lib/http/rate-limit';
import { UNSUBSCRIBES_PER_MINUTE, unsubscribeEmail } from '@/lib/preferences/centre';
import { readCustomerLink } from '@/lib/preferences/links';
import { PREFERENCES_NAMESPACE } from '@/lib/preferences/wording';
import { publicTranslator } from '@/lib/public/i18n';
import type { PublicLocale } from '@/lib/public/locale';
import { PUBLIC_LOCALES } from '@/lib/public/locale';

export type UnsubscribeState = { ok: boolean; message: string } | null;

const unsubscribeSchema = z.object({ token: z.string().max(600), locale: z.enum(PUBLIC_LOCALES) });

/**
 * Public: the button of the unsubscribe page, for mail clients without RFC 8058's one-click and for people who open the
 * link. The signed token is the proof; it withdraws e-mail marketing and nothing else.
 */
export async function unsubscribeAction(_prev: UnsubscribeState, formData: FormData): Promise<UnsubscribeState> {
  const parsed = unsubscribeSchema.safeParse(Object.fromEntries(formData));
  const locale: PublicLocale = parsed.success ? parsed.data.locale : 'en';
  const [t, common] = await Promise.all([publicTranslator(locale, PREFERENCES_NAMESPACE), publicTranslator(locale, 'public')]);
  if (!parsed.success) return { ok: false, message: common('linkInvalid') };
  const h = await headers();
  const ip = clientIp(h);
  if (!rateLimit('unsubscribe', ip, { limit: UNSUBSCRIBES_PER_MINUTE, windowSeconds: 60 }).ok)
    return { ok: false, message: common('rateLimited') };
  const link = readCustomerLink(parsed.data.token, 'unsubscribe');
  if (!link.ok) return { ok: false, message: common('linkInvalid') };
  return guarded(
    'unsubscribing',
    async () => {
      const result = await unsubscribeEmail(await getDb(), link.customerId, { ip, userAgent: h.get('user-agent'), via: 'page' });
      if (!result.ok) return { ok: false, message: common('linkInvalid') };
      return { ok: true, message: result.changed ? t('unsubscribe.done') : t('unsubscribe.already') };
    },
    { message: t('unsubscribe.failed') },
  );
}
