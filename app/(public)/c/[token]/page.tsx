import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { ConfirmForm } from '@/components/opt-in/confirm-form';
import { PublicMessage, PublicPage } from '@/components/public/public-page';
import { getDb } from '@/db';
import { clientIp } from '@/lib/auth/client-ip';
import { rateLimit } from '@/lib/http/rate-limit';
import { readConfirmation } from '@/lib/opt-in/confirm';
import { itemLabels } from '@/lib/opt-in/mail';
import { publicTranslator } from '@/lib/public/i18n';
import { isPublicLocale, publicLocale } from '@/lib/public/locale';

export const metadata: Metadata = { robots: { index: false }, referrer: 'no-referrer' };

type Props = { params: Promise<{ token: string }> };

/**
 * A confirmation link: shows what it would confirm and a button. Opening it changes nothing, since mail scanners open
 * links too; only the button's POST confirms.
 */
export default async function ConfirmationPage({ params }: Props) {
  const { token } = await params;
  const h = await headers();
  const fallback = publicLocale(null, h.get('accept-language'));
  if (!rateLimit('confirm-view', clientIp(h), { limit: 60, windowSeconds: 600 }).ok) {
    return <PublicMessage locale={fallback} kind="rateLimited" />;
  }
  const read = await readConfirmation(await getDb(), decodeURIComponent(token));
  if (!read.ok) {
    const locale = isPublicLocale(read.language) ? read.language : fallback;
    const kind = ({ invalid: 'linkInvalid', expired: 'linkExpired', used: 'linkUsed' } as const)[read.reason];
    return <PublicMessage locale={locale} kind={kind} shop={read.shopName} />;
  }
  const { view } = read;
  const locale = isPublicLocale(view.language) ? view.language : fallback;
  const t = await publicTranslator(locale, 'optIn');
  const items = await itemLabels(locale, view.items);
  return (
    <PublicPage locale={locale} title={t('confirmTitle')} shop={view.shopName}>
      <p className="text-slate-700">{t('confirmIntro', { shop: view.shopName })}</p>
      <ul className="my-4 list-disc space-y-1 pl-5 text-slate-800">
        {items.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
      <ConfirmForm token={decodeURIComponent(token)} text={{ button: t('confirmButton'), note: t('confirmNote') }} />
    </PublicPage>
  );
}
