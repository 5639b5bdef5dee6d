import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getLocale, getTranslations } from 'next-intl/server';
import { SignInForm } from '@/components/auth/sign-in-form';
import { LocaleSwitcher } from '@/components/shell/locale-switcher';
import { currentUser } from '@/lib/auth/session';
import type { Locale } from '@/lib/i18n/config';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('signIn');
  return { title: t('title') };
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const { callbackUrl } = await searchParams;
  if (await currentUser()) redirect('/');
  const t = await getTranslations('signIn');
  const app = await getTranslations('app');
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 text-center">
          <p className="text-3xl font-bold tracking-tight text-brand-800">Zgoda</p>
          <p className="mt-2 text-sm text-slate-600">{app('tagline')}</p>
        </div>
        <div className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
          <h1 className="mb-4 text-lg font-semibold text-slate-900">{t('title')}</h1>
          <SignInForm callbackUrl={callbackUrl ?? '/'} />
        </div>
        <div className="mt-6 flex justify-center">
          <LocaleSwitcher current={(await getLocale()) as Locale} label={app('language')} />
        </div>
      </div>
    </main>
  );
}
