import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { buttonClass } from '@/components/ui/button';

/** A full page for an HTTP status the visitor should understand: 403, 404. */
export async function StatusPage({ code, title, text }: { code: number; title: string; text: string }) {
  const t = await getTranslations('errors');
  return (
    <main className="mx-auto max-w-lg px-6 py-24 text-center">
      <p className="text-sm font-semibold text-brand-700">{code}</p>
      <h1 className="mt-2 text-2xl font-semibold text-slate-900">{title}</h1>
      <p className="mt-2 text-slate-600">{text}</p>
      <Link href="/" className={buttonClass('primary', 'mt-6')}>
        {t('backToOverview')}
      </Link>
    </main>
  );
}
