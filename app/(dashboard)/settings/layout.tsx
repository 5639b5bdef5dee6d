import type { ReactNode } from 'react';
import { getTranslations } from 'next-intl/server';
import { Tabs } from '@/components/shell/tabs';
import { PageHeader } from '@/components/ui/card';
import { requireSection } from '@/lib/auth/session';

export default async function SettingsLayout({ children }: { children: ReactNode }) {
  const user = await requireSection('settings');
  const [t, api, tw, optIn, dataProtection] = await Promise.all([
    getTranslations('settings'),
    getTranslations('apiSettings'),
    getTranslations('whatsappConnection'),
    getTranslations('optIn'),
    getTranslations('dataProtection'),
  ]);
  const tabs = [{ href: '/settings', label: t('markets') }];
  if (user.role === 'admin') {
    tabs.push(
      { href: '/settings/users', label: t('users') },
      { href: '/settings/alerts', label: t('alerts') },
      { href: '/settings/api', label: api('tab') },
      { href: '/settings/whatsapp', label: tw('tab') },
      { href: '/settings/forms', label: optIn('tab') },
      { href: '/settings/data-protection', label: dataProtection('title') },
    );
  }
  return (
    <>
      <PageHeader title={t('title')} />
      <Tabs items={tabs} label={t('title')} />
      {children}
    </>
  );
}
