import { expect, test } from '@playwright/test';
import { expectSignedIn, signIn, storageState, unique } from './fixtures';

test.describe('user management', () => {
  test.use({ storageState: storageState('admin') });

  test('an admin adds a user, changes the role and deactivates the user', async ({ page, browser }) => {
    const email = `${unique('agent')}@zgoda.demo`;
    const password = 'a-long-initial-password';
    await page.goto('/settings/users');
    await page.getByLabel('Name').fill('Ewa Testowa');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Role', { exact: true }).selectOption('support');
    await page.getByLabel('Initial password').fill(password);
    await page.getByRole('button', { name: 'Add user' }).click();
    await expect(page.getByText('User added.')).toBeVisible();

    const row = page.getByTestId(`user-row-${email}`);
    await expect(row).toContainText('Active');

    const other = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const userPage = await other.newPage();
    await signIn(userPage, email, password);
    await expectSignedIn(userPage);
    await expect(userPage.getByTestId('user-role')).toHaveText('Support');

    await row.getByLabel('Role of Ewa Testowa').selectOption('seller');
    await row.getByRole('button', { name: 'Save' }).click();
    await expect(row.getByText('Role changed.')).toBeVisible();
    await userPage.reload();
    await expect(userPage.getByTestId('user-role')).toHaveText('Seller');

    await row.getByRole('button', { name: /Deactivate/ }).click();
    await expect(row).toContainText('Deactivated');
    await userPage.goto('/customers');
    await expect(userPage).toHaveURL(/\/sign-in/);
    await signIn(userPage, email, password);
    await expect(userPage.getByRole('alert').filter({ hasText: 'E-mail or password is not correct.' })).toBeVisible();
    await other.close();
  });

  test('rejects a short or common password and a taken e-mail with clear messages', async ({ page }) => {
    await page.goto('/settings/users');
    await page.getByLabel('Name').fill('Jan Kurz');
    await page.getByLabel('E-mail').fill('seller@zgoda.demo');
    await page.getByLabel('Initial password').fill('short');
    await page.getByRole('button', { name: 'Add user' }).click();
    await expect(page.getByText('The password needs at least 12 characters.')).toBeVisible();
    await expect(page.getByLabel('Initial password')).toHaveAttribute('aria-invalid', 'true');

    await page.getByLabel('Initial password').fill('Password1234');
    await page.getByRole('button', { name: 'Add user' }).click();
    await expect(page.getByText(/^This password is too common or too easy to guess/)).toBeVisible();

    await page.getByLabel('Initial password').fill('long-enough-password');
    await page.getByRole('button', { name: 'Add user' }).click();
    await expect(page.getByText('A user with this e-mail already exists.')).toBeVisible();
  });

  test('the last admin cannot be demoted', async ({ page }) => {
    await page.goto('/settings/users');
    const row = page.getByTestId('user-row-admin@zgoda.demo');
    await row.getByLabel(/Role of/).selectOption('manager');
    await row.getByRole('button', { name: 'Save' }).click();
    await expect(row.getByText('The last active admin cannot be demoted or deactivated.')).toBeVisible();
    await page.reload();
    await expect(page.getByTestId('user-role')).toHaveText('Admin');
  });
});
