// The frame of every page a customer opens from a link or a shop: phone first, in the customer's language (set on the
// content, since the document's own language follows the dashboard's), with the shop's name when one is known.
import type { ReactNode } from 'react';
import type { PublicLocale } from '@/lib/public/locale';
import { publicTranslator } from '@/lib/public/i18n';

export async function PublicPage({
  locale,
  title,
  shop,
  children,
}: {
  locale: PublicLocale;
  title: string;
  /** The shop the customer deals with; Zgoda itself stays in the footer. */
  shop?: string | null;
  children: ReactNode;
}) {
  const t = await publicTranslator(locale, 'public');
  return (
    <div lang={locale} className="flex min-h-screen flex-col bg-slate-50">
      <main className="mx-auto w-full max-w-lg flex-1 px-4 py-6 sm:py-12">
        {shop && <p className="mb-4 text-center text-lg font-semibold text-slate-900">{shop}</p>}
        <div className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200 sm:p-6">
          <h1 className="mb-4 text-xl font-semibold text-slate-900">{title}</h1>
          {children}
        </div>
      </main>
      <footer className="mx-auto w-full max-w-lg px-4 pb-6 text-xs leading-relaxed text-slate-600">{t('footer')}</footer>
    </div>
  );
}

export type PublicMessageKind = 'linkInvalid' | 'linkExpired' | 'linkUsed' | 'rateLimited' | 'notFound' | 'serverError';

/** A page that says why nothing happened: a bad, expired or used link, too many attempts. */
export async function PublicMessage({ locale, kind, shop }: { locale: PublicLocale; kind: PublicMessageKind; shop?: string | null }) {
  const t = await publicTranslator(locale, 'public');
  return (
    <PublicPage locale={locale} title={t(`${kind}Title`)} shop={shop}>
      <p className="text-slate-700" data-testid="public-message" data-kind={kind}>
        {t(kind)}
      </p>
    </PublicPage>
  );
}
