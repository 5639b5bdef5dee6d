// The page behind an unsubscribe link opened in a browser: one button that stops marketing e-mails. Opening it changes
// nothing (mail scanners fetch links); mail clients that speak RFC 8058 post to the same address instead (one-click/).
import type { Metadata } from 'next';
import { headers } from 'next/headers';
import Link from 'next/link';
import { UnsubscribeButton } from '@/components/preferences/unsubscribe-button';
import { PublicMessage, PublicPage } from '@/components/public/public-page';
import { getDb } from '@/db';
import { clientIp } from '@/lib/auth/client-ip';
import { rateLimit } from '@/lib/http/rate-limit';
import { UNSUBSCRIBES_PER_MINUTE, preferenceView } from '@/lib/preferences/centre';
import { linkBase, preferenceLink, readCustomerLink } from '@/lib/preferences/links';
import { PREFERENCES_NAMESPACE } from '@/lib/preferences/wording';
import { publicTranslator } from '@/lib/public/i18n';
import { publicLocale } from '@/lib/public/locale';

export const metadata: Metadata = { robots: { index: false, follow: false }, referrer: 'same-origin' };

export default async function UnsubscribePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const h = await headers();
  const accept = h.get('accept-language');
  if (!rateLimit('unsubscribe', clientIp(h), { limit: UNSUBSCRIBES_PER_MINUTE, windowSeconds: 60 }).ok) {
    return <PublicMessage locale={publicLocale(null, accept)} kind="rateLimited" />;
  }
  const link = readCustomerLink(token, 'unsubscribe');
  const view = link.ok ? await preferenceView(await getDb(), link.customerId) : null;
  if (!view) return <PublicMessage locale={publicLocale(null, accept)} kind="linkInvalid" />;
  const locale = publicLocale(view.language, accept, view.market);
  const t = await publicTranslator(locale, PREFERENCES_NAMESPACE);
  const marketing = view.items.find((i) => i.channel === 'email' && i.purpose === 'marketing');
  const base = linkBase(process.env, h);
  // The way to everything else: a fresh preference link, since this one only unsubscribes.
  const manage = base.ok ? preferenceLink(base.base, view.customerId).slice(base.base.length) : null;
  return (
    <PublicPage locale={locale} title={t('unsubscribe.title')}>
      <div className="space-y-4 text-sm text-slate-700">
        {marketing?.shown === 'off' ? (
          <p role="status" data-testid="unsubscribed">
            {t('unsubscribe.already')}
          </p>
        ) : (
          <>
            <p>{view.email ? t('unsubscribe.intro', { email: view.email }) : t('unsubscribe.introNoEmail')}</p>
            <UnsubscribeButton token={token} locale={locale} button={t('unsubscribe.button')} saving={t('saving')} />
          </>
        )}
        {manage && (
          <p>
            <Link href={manage} className="font-medium text-brand-800 underline">
              {t('unsubscribe.manage')}
            </Link>
          </p>
        )}
      </div>
    </PublicPage>
  );
}
