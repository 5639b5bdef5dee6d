import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { ResetPasswordForm } from '@/components/account/reset-password-form';
import { AuthCard } from '@/components/auth/auth-card';
import { getDb } from '@/db';
import { MIN_PASSWORD_LENGTH } from '@/lib/auth/password';
import { inspectResetToken } from '@/lib/auth/reset';

export async function generateMetadata(): Promise<Metadata> {
  // The token is in the address: it must not travel on to another site in a Referer header.
  return { title: (await getTranslations('account'))('reset.title'), referrer: 'no-referrer', robots: { index: false } };
}

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const { token: raw } = await searchParams;
  const token = typeof raw === 'string' ? raw : '';
  const [t, link] = await Promise.all([getTranslations('account'), inspectResetToken(await getDb(), token)]);
  return (
    <AuthCard title={t('reset.title')}>
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
    </AuthCard>
  );
}
