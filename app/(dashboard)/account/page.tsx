import type { Metadata } from 'next';
import { getFormatter, getTranslations } from 'next-intl/server';
import { ChangePasswordForm, SignOutEverywhereForm } from '@/components/account/account-forms';
import { Alert } from '@/components/ui/alert';
import { Card, PageHeader } from '@/components/ui/card';
import { MIN_PASSWORD_LENGTH } from '@/lib/auth/password';
import { requireRole } from '@/lib/auth/session';
import { accountOverview } from '@/lib/users/queries';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('account'))('title') };
}

export default async function AccountPage({ searchParams }: { searchParams: Promise<{ changed?: string }> }) {
  const user = await requireRole();
  const [t, roles, format, overview, { changed }] = await Promise.all([
    getTranslations('account'),
    getTranslations('roles'),
    getFormatter(),
    accountOverview(user.id),
    searchParams,
  ]);
  return (
    <div className="max-w-2xl space-y-6">
      <PageHeader title={t('title')} description={t('description', { email: user.email, role: roles(user.role) })} />
      {changed === '1' && <Alert tone="success">{t('passwordChanged')}</Alert>}
      <Card>
        <h2 className="text-base font-semibold text-slate-900">{t('changeTitle')}</h2>
        <p className="mb-4 mt-1 text-sm text-slate-600">{t('changeText', { min: MIN_PASSWORD_LENGTH })}</p>
        <ChangePasswordForm email={user.email} />
      </Card>
      <Card>
        <h2 className="text-base font-semibold text-slate-900">{t('everywhereTitle')}</h2>
        <p className="mb-1 mt-1 text-sm text-slate-600">{t('everywhereText')}</p>
        {overview?.lastSignInAt && (
          <p className="mb-4 text-xs text-slate-500">{t('lastSignIn', { at: format.dateTime(overview.lastSignInAt, 'long') })}</p>
        )}
        <SignOutEverywhereForm />
      </Card>
    </div>
  );
}
