// The strip on every page of the demo that says the data is made up and the passwords are public.
import { getTranslations } from 'next-intl/server';
import { isDemo } from '@/lib/setup/demo';

export async function DemoBanner() {
  if (!isDemo()) return null;
  const t = await getTranslations('setup');
  // A named region, so screen reader users find it among the landmarks; not a live region: it never changes.
  return (
    <section
      aria-label={t('demoLabel')}
      data-testid="demo-banner"
      className="border-b border-amber-300 bg-amber-100 px-4 py-1.5 text-center text-xs text-amber-950 sm:text-sm print:hidden"
    >
      {t('demo')}
    </section>
  );
}
