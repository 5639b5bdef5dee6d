'use client';

import { useState } from 'react';
import { Dialog } from 'radix-ui';
import type { NavItem } from './nav-links';
import { NavLinks } from './nav-links';

export function MobileNav({
  items,
  openLabel,
  closeLabel,
  title,
}: {
  items: NavItem[];
  openLabel: string;
  closeLabel: string;
  title: string;
}) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger className="rounded-md p-2 text-slate-700 ring-1 ring-slate-300 hover:bg-slate-100 lg:hidden" aria-label={openLabel}>
        <svg aria-hidden="true" viewBox="0 0 20 20" className="h-5 w-5" fill="currentColor">
          <path d="M3 5h14v2H3zm0 4h14v2H3zm0 4h14v2H3z" />
        </svg>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
        <Dialog.Content className="fixed inset-y-0 left-0 z-50 w-72 bg-white p-4 shadow-xl focus:outline-none">
          <div className="mb-4 flex items-center justify-between">
            <Dialog.Title className="text-lg font-semibold text-brand-800">{title}</Dialog.Title>
            <Dialog.Close className="rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100">{closeLabel}</Dialog.Close>
          </div>
          <Dialog.Description className="sr-only">{openLabel}</Dialog.Description>
          <nav aria-label={title}>
            <NavLinks items={items} onNavigate={() => setOpen(false)} />
          </nav>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
