// The frame of the pages people see before signing in: the demo banner, the name, the tagline, a card with a title,
// the language.
import type { ReactNode } from 'react';
import { getLocale, getTranslations } from 'next-intl/server';
import { DemoBanner } from '@/components/shell/demo-banner';
import { LocaleSwitcher } from '@/components/shell/locale-switcher';
import type { Locale } from '@/lib/i18n/config';

export async function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  const app = await getTranslations('app');
  return (
    <div className="flex min-h-screen flex-col">
      <DemoBanner />
      <main className="flex flex-1 flex-col items-center justify-center px-4 py-12">
        <div className="w-full max-w-sm">
          <div className="mb-8 text-center">
            <p className="text-3xl font-bold tracking-tight text-brand-800">Zgoda</p>
            <p className="mt-2 text-sm text-slate-600">{app('tagline')}</p>
          </div>
          <div className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
            <h1 className="mb-4 text-lg font-semibold text-slate-900">{title}</h1>
            {children}
          </div>
          <div className="mt-6 flex justify-center">
            <LocaleSwitcher current={(await getLocale()) as Locale} label={app('language')} />
          </div>
        </div>
      </main>
    </div>
  );
}
