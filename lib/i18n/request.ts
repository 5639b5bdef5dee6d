// next-intl request configuration: the language comes from the user's choice (a cookie) or the browser, no URL prefix.
import { cookies, headers } from 'next/headers';
import { getRequestConfig } from 'next-intl/server';
import { DEFAULT_TIME_ZONE, LOCALE_COOKIE, TIME_ZONE_COOKIE, isLocale, isTimeZone, negotiateLocale } from './config';

export default getRequestConfig(async () => {
  const store = await cookies();
  const chosen = store.get(LOCALE_COOKIE)?.value;
  const locale = isLocale(chosen) ? chosen : negotiateLocale((await headers()).get('accept-language'));
  const tz = store.get(TIME_ZONE_COOKIE)?.value;
  return {
    locale,
    timeZone: isTimeZone(tz) ? tz : DEFAULT_TIME_ZONE,
    messages: (await import(`./messages/${locale}.json`)).default,
    formats: {
      dateTime: {
        short: { day: 'numeric', month: 'short', year: 'numeric' },
        long: { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' },
      },
    },
  };
});
