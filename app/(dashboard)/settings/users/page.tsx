import type { Metadata } from 'next';
import { getFormatter, getTranslations } from 'next-intl/server';
import { ActiveForm, CreateUserForm, ResetLinkForm, RoleForm } from '@/components/users/user-forms';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { requireRole } from '@/lib/auth/session';
import { listUsers } from '@/lib/users/queries';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('settings'))('users') };
}

export default async function UsersPage() {
  const admin = await requireRole('admin');
  const [t, format, rows] = await Promise.all([getTranslations('users'), getFormatter(), listUsers()]);
  return (
    <div className="space-y-8">
      <Table caption={t('caption')}>
        <thead>
          <tr>
            <Th>{t('name')}</Th>
            <Th>{t('email')}</Th>
            <Th>{t('role')}</Th>
            <Th>{t('status')}</Th>
            <Th>{t('lastSignIn')}</Th>
            <Th>
              <span className="sr-only">{t('actions')}</span>
            </Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((u) => (
            <tr key={u.id} data-testid={`user-row-${u.email}`}>
              <Td className="font-medium">
                {u.name} {u.id === admin.id && <span className="text-xs text-slate-500">({t('you')})</span>}
              </Td>
              <Td>{u.email}</Td>
              <Td>
                <RoleForm userId={u.id} role={u.role} name={u.name} />
              </Td>
              <Td>{u.active ? <Badge tone="good">{t('active')}</Badge> : <Badge tone="neutral">{t('deactivated')}</Badge>}</Td>
              <Td className="whitespace-nowrap">{u.lastSignInAt ? format.dateTime(u.lastSignInAt, 'long') : t('never')}</Td>
              <Td>
                {u.id !== admin.id && (
                  <div className="flex flex-wrap items-start gap-2">
                    <ActiveForm userId={u.id} active={u.active} name={u.name} />
                    {u.active && <ResetLinkForm userId={u.id} name={u.name} />}
                  </div>
                )}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
      <Card>
        <h2 className="mb-4 text-base font-semibold text-slate-900">{t('createTitle')}</h2>
        <CreateUserForm />
      </Card>
    </div>
  );
}
