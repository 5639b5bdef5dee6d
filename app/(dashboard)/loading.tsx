import { getTranslations } from 'next-intl/server';

export default async function Loading() {
  const t = await getTranslations('app');
  return (
    <div role="status" aria-live="polite" className="space-y-4">
      <span className="sr-only">{t('loading')}</span>
      <div className="h-8 w-64 animate-pulse rounded bg-slate-200" />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {Array.from({ length: 4 }, (_, i) => (
          <div key={i} className="h-24 animate-pulse rounded-lg bg-slate-200" />
        ))}
      </div>
      <div className="h-64 animate-pulse rounded-lg bg-slate-200" />
    </div>
  );
}
