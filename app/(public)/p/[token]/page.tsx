// The preference centre: a customer opens it from the link in a message, sees what they receive on each channel, and
// turns any of it off with one click or on with the wording shown. Nothing here needs an account.
import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { PreferenceChoice } from '@/components/preferences/preference-choice';
import { PublicMessage, PublicPage } from '@/components/public/public-page';
import { cn } from '@/components/ui/cn';
import { getDb } from '@/db';
import { clientIp } from '@/lib/auth/client-ip';
import type { Channel } from '@/lib/consent';
import { rateLimit } from '@/lib/http/rate-limit';
import type { PreferenceItem } from '@/lib/preferences/centre';
import { preferenceView } from '@/lib/preferences/centre';
import { readCustomerLink } from '@/lib/preferences/links';
import { PREFERENCES_NAMESPACE, pageWording } from '@/lib/preferences/wording';
import { publicTranslator } from '@/lib/public/i18n';
import { publicLocale } from '@/lib/public/locale';

// The link is the customer's key: no search engine, and no referrer to other sites (same-origin, not no-referrer: a
// form posted under no-referrer carries `Origin: null`, which Next.js refuses for a server action).
export const metadata: Metadata = { robots: { index: false, follow: false }, referrer: 'same-origin' };

// Enough for a customer who reloads and clicks around; a script walking tokens meets the limit at once.
const VIEWS_PER_MINUTE = 60;

const STATUS_TONE: Record<PreferenceItem['shown'], string> = {
  on: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  off: 'bg-slate-100 text-slate-700 ring-slate-300',
  pending: 'bg-amber-50 text-amber-900 ring-amber-200',
};

export default async function PreferencesPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const h = await headers();
  const accept = h.get('accept-language');
  if (!rateLimit('preferences-view', clientIp(h), { limit: VIEWS_PER_MINUTE, windowSeconds: 60 }).ok) {
    return <PublicMessage locale={publicLocale(null, accept)} kind="rateLimited" />;
  }
  const link = readCustomerLink(token, 'preferences');
  const view = link.ok ? await preferenceView(await getDb(), link.customerId) : null;
  if (!view) {
    const expired = !link.ok && link.reason === 'expired';
    return <PublicMessage locale={publicLocale(null, accept)} kind={expired ? 'linkExpired' : 'linkInvalid'} />;
  }
  const locale = publicLocale(view.language, accept, view.market);
  const [t, wording] = await Promise.all([publicTranslator(locale, PREFERENCES_NAMESPACE), pageWording(locale)]);
  const channels = [...new Set(view.items.map((i) => i.channel))];
  const itemsOf = (channel: Channel) => view.items.filter((i) => i.channel === channel);

  return (
    <PublicPage locale={locale} title={t('title')}>
      <p className="mb-4 text-sm text-slate-700">{t('intro')}</p>
      {(view.email || view.phone) && (
        <section aria-labelledby="contact-title" className="mb-6 rounded-md bg-slate-50 p-3 text-sm">
          <h2 id="contact-title" className="mb-1 font-medium text-slate-900">
            {t('contactTitle')}
          </h2>
          <dl className="grid grid-cols-[max-content_1fr] gap-x-3 gap-y-1 text-slate-700">
            {view.email && (
              <>
                <dt>{t('email')}</dt>
                <dd className="font-mono">{view.email}</dd>
              </>
            )}
            {view.phone && (
              <>
                <dt>{t('phone')}</dt>
                <dd className="font-mono">{view.phone}</dd>
              </>
            )}
          </dl>
        </section>
      )}
      {channels.length === 0 && <p className="text-sm text-slate-700">{t('nothingHere')}</p>}
      <div className="space-y-6">
        {channels.map((channel) => (
          <section key={channel} aria-labelledby={`channel-${channel}`} data-testid={`channel-${channel}`}>
            <h2 id={`channel-${channel}`} className="mb-2 text-base font-semibold text-slate-900">
              {t(`channels.${channel}`)}
            </h2>
            <ul className="divide-y divide-slate-200 rounded-md ring-1 ring-slate-200">
              {itemsOf(channel).map((item) => {
                const intent = item.shown === 'off' ? 'grant' : 'withdraw';
                return (
                  <li
                    key={item.purpose}
                    className="space-y-2 p-3"
                    data-testid={`choice-${channel}-${item.purpose}`}
                    data-shown={item.shown}
                  >
                    <div className="flex items-start justify-between gap-3">
                      <div>
                        <h3 className="text-sm font-medium text-slate-900">{t(`purposes.${item.purpose}`)}</h3>
                        <p className="text-xs text-slate-600">{t(`purposeHints.${item.purpose}`)}</p>
                      </div>
                      <span
                        className={cn('shrink-0 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset', STATUS_TONE[item.shown])}
                      >
                        {t(`status.${item.shown}`)}
                      </span>
                    </div>
                    {intent === 'grant' && (
                      <p className="text-sm text-slate-800" data-testid="wording">
                        {wording.sentence(channel, item.purpose)}
                        {item.confirmationRequired && <span className="block text-xs text-slate-600">{t('confirmationNote')}</span>}
                      </p>
                    )}
                    <PreferenceChoice
                      token={token}
                      locale={locale}
                      version={wording.version}
                      channel={channel}
                      purpose={item.purpose}
                      seen={item.lastEventId}
                      intent={intent}
                      button={t(intent)}
                      context={` (${t(`purposes.${item.purpose}`)}, ${t(`channels.${channel}`)})`}
                      saving={t('saving')}
                    />
                  </li>
                );
              })}
            </ul>
          </section>
        ))}
      </div>
      <p className="mt-6 text-xs text-slate-600">{t('footer')}</p>
    </PublicPage>
  );
}
