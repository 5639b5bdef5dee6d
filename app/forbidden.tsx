import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { buttonClass } from '@/components/ui/button';

export default async function Forbidden() {
  const t = await getTranslations('errors');
  return (
    <main className="mx-auto max-w-lg px-6 py-24 text-center">
      <p className="text-sm font-semibold text-brand-700">403</p>
      <h1 className="mt-2 text-2xl font-semibold text-slate-900">{t('forbiddenTitle')}</h1>
      <p className="mt-2 text-slate-600">{t('forbiddenText')}</p>
      <Link href="/" className={buttonClass('primary', 'mt-6')}>
        {t('backToOverview')}
      </Link>
    </main>
  );
}
