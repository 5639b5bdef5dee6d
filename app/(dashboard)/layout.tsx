import type { ReactNode } from 'react';
import Link from 'next/link';
import { cookies, headers } from 'next/headers';
import { getLocale, getTranslations } from 'next-intl/server';
import { DemoBanner } from '@/components/shell/demo-banner';
import { LocaleSwitcher } from '@/components/shell/locale-switcher';
import { MobileNav } from '@/components/shell/mobile-nav';
import { NavLinks } from '@/components/shell/nav-links';
import { TimeZoneCookie } from '@/components/shell/time-zone-cookie';
import { UserMenu } from '@/components/shell/user-menu';
import { PATHNAME_HEADER, SECTIONS, canOpen, rolesForPath } from '@/lib/auth/roles';
import { requireRole } from '@/lib/auth/session';
import { TIME_ZONE_COOKIE } from '@/lib/i18n/config';
import type { Locale } from '@/lib/i18n/config';

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  // Checked here, above the loading boundary, so a forbidden page answers 403; each page checks again itself.
  const user = await requireRole(...rolesForPath((await headers()).get(PATHNAME_HEADER) ?? '/'));
  const [t, app, accountT, roles, locale, store] = await Promise.all([
    getTranslations('nav'),
    getTranslations('app'),
    getTranslations('account'),
    getTranslations('roles'),
    getLocale(),
    cookies(),
  ]);
  const items = SECTIONS.filter((s) => canOpen(user.role, s)).map((s) => ({ href: s === 'overview' ? '/' : `/${s}`, label: t(s) }));
  const userMenu = (
    <UserMenu
      name={user.name}
      email={user.email}
      roleLabel={roles(user.role)}
      labels={{
        menu: app('userMenu'),
        signedInAs: app('signedInAs'),
        role: app('role'),
        account: accountT('menuItem'),
        signOut: app('signOut'),
      }}
    />
  );
  return (
    <div className="min-h-screen lg:pl-60 print:pl-0">
      <TimeZoneCookie current={store.get(TIME_ZONE_COOKIE)?.value ?? null} />
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:p-2"
      >
        {app('skipToContent')}
      </a>
      <DemoBanner />
      <aside className="fixed inset-y-0 left-0 hidden w-60 print:hidden flex-col border-r border-slate-200 bg-white px-3 py-5 lg:flex">
        <Link href="/" className="mb-6 px-3 text-2xl font-bold tracking-tight text-brand-800">
          Zgoda
        </Link>
        <nav aria-label={app('mainNavigation')} data-testid="main-nav">
          <NavLinks items={items} />
        </nav>
        <p className="mt-auto px-3 text-xs text-slate-500">{app('tagline')}</p>
      </aside>
      <header className="sticky top-0 z-30 flex print:hidden items-center justify-between gap-3 border-b border-slate-200 bg-white/95 px-4 py-2 backdrop-blur sm:px-6">
        <div className="flex items-center gap-3 lg:hidden">
          <MobileNav items={items} openLabel={app('openMenu')} closeLabel={app('closeMenu')} title="Zgoda" />
          <Link href="/" className="text-xl font-bold text-brand-800">
            Zgoda
          </Link>
        </div>
        <div className="ml-auto flex items-center gap-3">
          <LocaleSwitcher current={locale as Locale} label={app('language')} />
          {userMenu}
        </div>
      </header>
      <main id="main" className="mx-auto max-w-7xl px-4 py-6 sm:px-6 lg:px-8">
        {children}
      </main>
    </div>
  );
}
