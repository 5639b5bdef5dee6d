// next-intl request configuration: the language comes from the user's choice (a cookie) or the browser, no URL prefix.
import { cookies, headers } from 'next/headers';
import { getRequestConfig } from 'next-intl/server';
import { LOCALE_COOKIE, isLocale, negotiateLocale } from './config';
import { userTimeZone } from './user-time-zone';

export default getRequestConfig(async () => {
  const store = await cookies();
  const chosen = store.get(LOCALE_COOKIE)?.value;
  const locale = isLocale(chosen) ? chosen : negotiateLocale((await headers()).get('accept-language'));
  return {
    locale,
    timeZone: await userTimeZone(),
    messages: (await import(`./messages/${locale}.json`)).default,
    formats: {
      dateTime: {
        short: { day: 'numeric', month: 'short', year: 'numeric' },
        long: { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' },
      },
    },
  };
});
