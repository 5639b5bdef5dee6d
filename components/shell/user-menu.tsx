'use client';

import { useTransition } from 'react';
import Link from 'next/link';
import { DropdownMenu } from 'radix-ui';
import { signOutAction } from '@/lib/auth/actions';

type Props = {
  name: string;
  email: string;
  roleLabel: string;
  labels: { menu: string; signedInAs: string; role: string; account: string; signOut: string };
};

export function UserMenu({ name, email, roleLabel, labels }: Props) {
  const [pending, startTransition] = useTransition();
  return (
    // Not modal: a modal menu hides the rest of the page with aria-hidden while its links stay focusable. Not in a
    // portal either: rendered in place, the menu stays inside the header's landmark.
    <DropdownMenu.Root modal={false}>
      {/* Named by its text (the menu's purpose, then the visible name and role), so speech users can say what they see. */}
      <DropdownMenu.Trigger className="flex items-center gap-2 rounded-md px-2 py-1.5 text-left text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-brand-700">
        <span className="sr-only">{labels.menu}</span>
        <span
          aria-hidden="true"
          className="flex h-8 w-8 items-center justify-center rounded-full bg-brand-700 text-xs font-semibold text-white"
        >
          {name
            .split(/\s+/)
            .map((p) => p[0])
            .join('')
            .slice(0, 2)
            .toUpperCase()}
        </span>
        <span className="hidden sm:block">
          <span className="block font-medium text-slate-900">{name}</span>
          <span className="block text-xs text-slate-600" data-testid="user-role">
            {roleLabel}
          </span>
        </span>
      </DropdownMenu.Trigger>
      <DropdownMenu.Content
        align="end"
        sideOffset={6}
        className="z-50 min-w-56 rounded-md bg-white p-1 text-sm shadow-lg ring-1 ring-slate-200"
      >
        <DropdownMenu.Label className="px-3 py-2">
          <span className="block text-xs text-slate-500">{labels.signedInAs}</span>
          <span className="block font-medium text-slate-900">{email}</span>
          <span className="mt-1 block text-xs text-slate-600">
            {labels.role}: {roleLabel}
          </span>
        </DropdownMenu.Label>
        <DropdownMenu.Separator className="my-1 h-px bg-slate-200" />
        <DropdownMenu.Item
          asChild
          className="block cursor-pointer rounded px-3 py-2 text-slate-800 outline-none data-highlighted:bg-slate-100"
        >
          <Link href="/account">{labels.account}</Link>
        </DropdownMenu.Item>
        <DropdownMenu.Item
          disabled={pending}
          onSelect={() => startTransition(() => signOutAction())}
          className="cursor-pointer rounded px-3 py-2 text-slate-800 outline-none data-highlighted:bg-slate-100"
        >
          {labels.signOut}
        </DropdownMenu.Item>
      </DropdownMenu.Content>
    </DropdownMenu.Root>
  );
}
