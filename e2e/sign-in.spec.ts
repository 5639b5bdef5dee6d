import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, expectSignedIn, signIn, unique } from './fixtures';

test('a wrong password shows an error and keeps the visitor out', async ({ page }) => {
  await signIn(page, 'manager@zgoda.demo', 'not-the-password');
  await expect(page.getByRole('alert').filter({ hasText: 'E-mail or password is not correct.' })).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByLabel('E-mail')).toHaveValue('manager@zgoda.demo');
});

test('repeated failures are throttled with a clear message', async ({ page }) => {
  const email = `${unique('nobody')}@example.com`;
  for (let i = 0; i < 4; i++) {
    await signIn(page, email, `wrong-${i}`);
    await expect(page.getByRole('alert').filter({ hasText: 'E-mail or password is not correct.' })).toBeVisible();
  }
  // The fifth failure from this address starts the delays: 2 seconds, then 4, 8 … up to 15 minutes.
  await signIn(page, email, 'wrong-again');
  await expect(
    page.getByRole('alert').filter({ hasText: /^Too many failed sign-in attempts\. Try again in [12] seconds?\.$/ }),
  ).toBeVisible();
});

test('signing out ends the session', async ({ page }) => {
  await signIn(page, 'support@zgoda.demo', DEMO_PASSWORD);
  await expectSignedIn(page);
  await page.getByRole('button', { name: 'Account menu' }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto('/customers');
  await expect(page).toHaveURL(/\/sign-in/);
});
