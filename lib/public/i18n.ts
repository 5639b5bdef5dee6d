// Texts of the customer-facing pages, in the customer's language rather than the signed-in user's: each page names
// its locale, so these translators do not go through the dashboard's request configuration.
import type { AbstractIntlMessages } from 'next-intl';
import { createTranslator } from 'next-intl';
import type { PublicLocale } from './locale';

type Catalog = Record<string, AbstractIntlMessages>;

export async function publicCatalog(locale: PublicLocale): Promise<Catalog> {
  return (await import(`../i18n/public/${locale}.json`)).default as Catalog;
}

export type PublicTranslator = (key: string, values?: Record<string, string | number | Date>) => string;

/** `t('key')` over one namespace of the public catalog; dates are formatted in `timeZone` (UTC unless given). */
export async function publicTranslator(locale: PublicLocale, namespace: string, timeZone = 'UTC'): Promise<PublicTranslator> {
  const messages = await publicCatalog(locale);
  const t = createTranslator({ locale, messages, namespace, timeZone });
  return (key, values) => (t as unknown as PublicTranslator)(key, values);
}

/** The namespaces a client component of a public page needs, for a nested `<NextIntlClientProvider>`. */
export async function publicMessages(locale: PublicLocale, namespaces: readonly string[]): Promise<AbstractIntlMessages> {
  const catalog = await publicCatalog(locale);
  return Object.fromEntries(namespaces.filter((n) => n in catalog).map((n) => [n, catalog[n]!]));
}
