// Shared helpers for the specs: demo users, signed-in states per role, signing in by hand.
import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { expect } from '@playwright/test';
import type { Role } from '../lib/auth/roles';

export const DEMO_PASSWORD = 'zgoda-demo-2026';
export const ROLE_USERS: Record<Role, string> = {
  admin: 'admin@zgoda.demo',
  seller: 'seller@zgoda.demo',
  support: 'support@zgoda.demo',
  manager: 'manager@zgoda.demo',
};

export const storageState = (role: Role) => path.join(__dirname, '.auth', `${role}.json`);

/** A value no other test uses, so tests can run in parallel against one database. */
export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function expectSignedIn(page: Page): Promise<void> {
  // Signing in verifies an argon2 hash; the first ones, while the fresh server warms up next to other work, take long.
  await expect(page).toHaveURL(/\/$/, { timeout: 30_000 });
  await expect(page.getByTestId('main-nav')).toBeVisible();
}

/** Adds a support user through Settings → Users as the demo admin; returns the admin page for later steps. */
export async function addUser(browser: Browser, name: string, email: string, password: string): Promise<Page> {
  const admin = await (await browser.newContext({ storageState: storageState('admin') })).newPage();
  await admin.goto('/settings/users');
  await admin.getByLabel('Name').fill(name);
  await admin.getByLabel('E-mail').fill(email);
  await admin.getByLabel('Role', { exact: true }).selectOption('support');
  await admin.getByLabel('Initial password').fill(password);
  await admin.getByRole('button', { name: 'Add user' }).click();
  await expect(admin.getByText('User added.')).toBeVisible();
  return admin;
}
