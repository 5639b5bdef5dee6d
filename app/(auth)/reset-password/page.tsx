import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { ResetPasswordForm } from '@/components/account/reset-password-form';
import { LocaleSwitcher } from '@/components/shell/locale-switcher';
import { getDb } from '@/db';
import { MIN_PASSWORD_LENGTH } from '@/lib/auth/password';
import { inspectResetToken } from '@/lib/auth/reset';
import type { Locale } from '@/lib/i18n/config';

export async function generateMetadata(): Promise<Metadata> {
  // The token is in the address: it must not travel on to another site in a Referer header.
  return { title: (await getTranslations('account'))('reset.title'), referrer: 'no-referrer', robots: { index: false } };
}

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const { token: raw } = await searchParams;
  const token = typeof raw === 'string' ? raw : '';
  const [t, app, link] = await Promise.all([getTranslations('account'), getTranslations('app'), inspectResetToken(await getDb(), token)]);
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 text-center">
          <p className="text-3xl font-bold tracking-tight text-brand-800">Zgoda</p>
          <p className="mt-2 text-sm text-slate-600">{app('tagline')}</p>
        </div>
        <div className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
          <h1 className="mb-4 text-lg font-semibold text-slate-900">{t('reset.title')}</h1>
          {link.ok ? (
            <ResetPasswordForm token={token} email={link.email} intro={t('reset.intro', { email: link.email, min: MIN_PASSWORD_LENGTH })} />
          ) : (
            <div className="space-y-4 text-sm text-slate-700" data-testid="reset-link-dead">
              <p role="alert" className="font-medium text-red-800">
                {t(`reset.${link.error}`)}
              </p>
              <p>{t('reset.askAdmin')}</p>
              <Link href="/sign-in" className="font-medium text-brand-700 underline">
                {t('reset.toSignIn')}
              </Link>
            </div>
          )}
        </div>
        <div className="mt-6 flex justify-center">
          <LocaleSwitcher current={(await getLocale()) as Locale} label={app('language')} />
        </div>
      </div>
    </main>
  );
}
