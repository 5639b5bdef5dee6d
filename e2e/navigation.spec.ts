import { expect, test } from '@playwright/test';
import type { Role } from '../lib/auth/roles';
import { storageState } from './fixtures';

const NAV: Record<Role, string[]> = {
  admin: ['Overview', 'Customers', 'Coverage', 'Messages', 'Complaints', 'Replies', 'Monitor', 'Settings'],
  seller: ['Overview', 'Customers', 'Coverage', 'Messages', 'Complaints', 'Replies', 'Monitor', 'Settings'],
  manager: ['Overview', 'Customers', 'Coverage', 'Messages', 'Complaints', 'Replies', 'Monitor', 'Settings'],
  support: ['Overview', 'Customers', 'Coverage', 'Complaints', 'Replies', 'Settings'],
};
const ROLE_LABEL: Record<Role, string> = { admin: 'Admin', seller: 'Seller', support: 'Support', manager: 'Manager' };

for (const role of Object.keys(NAV) as Role[]) {
  test.describe(`${role}`, () => {
    test.use({ storageState: storageState(role) });

    test('sees the navigation of the role and the role in the user menu', async ({ page }) => {
      await page.goto('/');
      await expect(page.getByTestId('main-nav').getByRole('link')).toHaveText(NAV[role]);
      await expect(page.getByTestId('user-role')).toHaveText(ROLE_LABEL[role]);
      await page.getByRole('button', { name: 'Account menu' }).click();
      await expect(page.getByRole('menu')).toContainText(`Role: ${ROLE_LABEL[role]}`);
    });

    test('opens every page in the navigation', async ({ page }) => {
      // Up to eight full pages, each rendered against the embedded database (one connection for the whole server)
      // while the other worker's spec holds it, for an export say: a page may wait for it.
      test.setTimeout(90_000);
      await page.goto('/');
      for (const label of NAV[role]) {
        await page.getByTestId('main-nav').getByRole('link', { name: label }).click();
        await expect(page.getByRole('heading', { level: 1 })).toBeVisible({ timeout: 20_000 });
        await expect(page.getByTestId('main-nav').getByRole('link', { name: label })).toHaveAttribute('aria-current', 'page');
      }
    });
  });
}

test.describe('support', () => {
  test.use({ storageState: storageState('support') });

  for (const path of ['/settings/users', '/messages', '/monitor']) {
    test(`gets 403 on ${path}`, async ({ page }) => {
      const response = await page.goto(path);
      expect(response?.status()).toBe(403);
      await expect(page.getByRole('heading', { name: 'You do not have access to this page' })).toBeVisible();
    });
  }
});

test.describe('seller and manager', () => {
  for (const role of ['seller', 'manager'] as const) {
    test(`${role} gets 403 on user management`, async ({ browser }) => {
      const context = await browser.newContext({ storageState: storageState(role) });
      const response = await (await context.newPage()).goto('/settings/users');
      expect(response?.status()).toBe(403);
      await context.close();
    });
  }
});

test('a signed-out visitor is sent to sign-in and back afterwards', async ({ page }) => {
  await page.goto('/customers?page=2');
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fcustomers%3Fpage%3D2/);
  await page.getByLabel('E-mail').fill('seller@zgoda.demo');
  await page.getByLabel('Password').fill('zgoda-demo-2026');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/customers\?page=2$/);
  await expect(page.getByRole('heading', { name: 'Customers' })).toBeVisible();
});

test.describe('language', () => {
  test.use({ storageState: storageState('seller') });

  test('switches between English, Polish and German', async ({ page }) => {
    await page.goto('/');
    await page.getByLabel('Language').selectOption('pl');
    await expect(page.getByTestId('main-nav').getByRole('link', { name: 'Klienci' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'pl');
    await page.getByLabel('Język').selectOption('de');
    await expect(page.getByTestId('main-nav').getByRole('link', { name: 'Kunden' })).toBeVisible();
    await page.getByLabel('Sprache').selectOption('en');
    await expect(page.getByTestId('main-nav').getByRole('link', { name: 'Customers' })).toBeVisible();
  });

  test('formats numbers in the chosen language', async ({ page }) => {
    await page.goto('/');
    // The 5,000 seeded customers, and any that other specs import meanwhile.
    await expect(page.getByText(/^5,\d{3}$/).first()).toBeVisible();
    await page.getByLabel('Language').selectOption('de');
    await expect(page.getByText(/^5\.\d{3}$/).first()).toBeVisible();
  });
});
