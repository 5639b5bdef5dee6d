import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { SignInForm } from '@/components/auth/sign-in-form';
import { AuthCard } from '@/components/auth/auth-card';
import { Alert } from '@/components/ui/alert';
import { getDb } from '@/db';
import { currentUser } from '@/lib/auth/session';
import { hasActiveAdmin } from '@/lib/setup/demo';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('signIn');
  return { title: t('title') };
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const { callbackUrl } = await searchParams;
  if (await currentUser()) redirect('/');
  const [t, setup, adminExists] = await Promise.all([getTranslations('signIn'), getTranslations('setup'), getDb().then(hasActiveAdmin)]);
  return (
    <AuthCard title={t('title')}>
      {!adminExists && (
        // A fresh install on PostgreSQL has no users: say how to make the first one instead of refusing every password.
        <Alert tone="warning" className="mb-4">
          <p className="font-semibold">{setup('noAdminTitle')}</p>
          <p className="mt-1" data-testid="no-admin">
            {setup.rich('noAdmin', {
              code: (chunks) => <code className="whitespace-nowrap rounded bg-amber-100 px-1 font-mono">{chunks}</code>,
            })}
          </p>
        </Alert>
      )}
      <SignInForm callbackUrl={callbackUrl ?? '/'} />
    </AuthCard>
  );
}
