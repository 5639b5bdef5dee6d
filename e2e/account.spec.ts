// Accounts: changing one's own password, admin reset links, and signing out everywhere.
import fs from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { addUser, expectSignedIn, signIn, unique } from './fixtures';

const SHOTS = '/tmp/shots';
fs.mkdirSync(SHOTS, { recursive: true });

async function freshPage(browser: Browser): Promise<Page> {
  return (await browser.newContext({ storageState: { cookies: [], origins: [] } })).newPage();
}

test('a user changes their own password from the account menu and signs in with the new one', async ({ browser }) => {
  // An admin adds the user, then three sign-ins and a password change each hash or verify a password: more than one
  // test's budget on a busy machine.
  test.slow();
  const email = `${unique('magda')}@sklep-ola.pl`;
  const first = 'Pierwsze haslo Magdy 1';
  const next = 'Jesienne liscie nad Odra 7';
  const admin = await addUser(browser, 'Magdalena Kaczmarek', email, first);
  await admin.context().close();

  const page = await freshPage(browser);
  await signIn(page, email, first);
  await expectSignedIn(page);
  await page.getByRole('button', { name: 'Account menu' }).click();
  await page.getByRole('menuitem', { name: 'Your account' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();

  const fill = async (current: string, newPassword: string, confirmation: string) => {
    await page.getByLabel('Current password').fill(current);
    await page.getByLabel('New password', { exact: true }).fill(newPassword);
    await page.getByLabel('Repeat the new password').fill(confirmation);
    await page.getByRole('button', { name: 'Change password' }).click();
  };
  await fill('not my password at all', next, next);
  await expect(page.getByText('The current password is not correct.')).toBeVisible();
  await fill(first, 'krotkie', 'krotkie');
  await expect(page.getByText('The new password is too short: use at least 12 characters.')).toBeVisible();
  await fill(first, 'password1234', 'password1234');
  await expect(page.getByText(/This password is too common/)).toBeVisible();
  await fill(first, next, `${next}!`);
  await expect(page.getByText('The two new passwords do not match.')).toBeVisible();
  await expect(page.getByLabel('Repeat the new password')).toHaveAttribute('aria-invalid', 'true');
  await page.screenshot({ path: `${SHOTS}/account-errors.png`, fullPage: true });

  await fill(first, next, next);
  await expect(page.getByText('Your password has been changed. Sessions on other devices have been signed out.')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/account-changed.png`, fullPage: true });
  // This browser stays signed in.
  await page.goto('/customers');
  await expect(page).toHaveURL(/\/customers$/);

  const other = await freshPage(browser);
  await signIn(other, email, first);
  await expect(other.getByRole('alert').filter({ hasText: 'E-mail or password is not correct.' })).toBeVisible();
  await signIn(other, email, next);
  await expectSignedIn(other);
});

test('an admin makes a one-time reset link; the user sets a new password with it; the link then is dead', async ({ browser }) => {
  const email = `${unique('lukas')}@teeladen.de`;
  const fresh = 'Gruener Tee im Garten 42';
  const admin = await addUser(browser, 'Lukas Becker', email, 'Vergessenes Passwort 1');
  const row = admin.getByTestId(`user-row-${email}`);
  await row.getByRole('button', { name: /Reset password/ }).click();
  const linkInput = row.getByLabel(/One-time link for Lukas Becker, valid until/);
  await expect(linkInput).toBeVisible();
  const link = await linkInput.inputValue();
  expect(link).toMatch(/\/reset-password\?token=[A-Za-z0-9_-]{43}$/);
  await admin.screenshot({ path: `${SHOTS}/users-reset-link.png`, fullPage: true });

  const user = await freshPage(browser);
  const tampered = link.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
  await user.goto(tampered);
  await expect(user.getByTestId('reset-link-dead')).toContainText('This password reset link is not valid.');

  await user.goto(link);
  await expect(user.getByRole('heading', { name: 'Set a new password' })).toBeVisible();
  await expect(user.getByText(`Set a new password for ${email}.`)).toBeVisible();
  await user.screenshot({ path: `${SHOTS}/reset-page.png`, fullPage: true });
  await user.getByLabel('New password', { exact: true }).fill(fresh);
  await user.getByLabel('Repeat the new password').fill('something else entirely');
  await user.getByRole('button', { name: 'Set password' }).click();
  await expect(user.getByText('The two new passwords do not match.')).toBeVisible();
  await user.getByLabel('New password', { exact: true }).fill(fresh);
  await user.getByLabel('Repeat the new password').fill(fresh);
  await user.getByRole('button', { name: 'Set password' }).click();
  await expect(user.getByText(/Your new password is set/)).toBeVisible();
  await user.screenshot({ path: `${SHOTS}/reset-done.png`, fullPage: true });

  await user.goto(link);
  await expect(user.getByTestId('reset-link-dead')).toContainText('This password reset link has already been used');
  await user.screenshot({ path: `${SHOTS}/reset-used.png`, fullPage: true });
  await signIn(user, email, fresh);
  await expectSignedIn(user);
  await admin.context().close();
});

test('signing out everywhere in one browser ends the session in the other', async ({ browser }) => {
  const email = `${unique('amelie')}@boutique.fr`;
  const password = 'Le marche du samedi 2026';
  const admin = await addUser(browser, 'Amélie Laurent', email, password);
  await admin.context().close();

  const [a, b] = [await freshPage(browser), await freshPage(browser)];
  for (const page of [a, b]) {
    await signIn(page, email, password);
    await expectSignedIn(page);
  }
  await a.goto('/account');
  await a.screenshot({ path: `${SHOTS}/account-page.png`, fullPage: true });
  await a.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(a).toHaveURL(/\/sign-in/);

  // B still holds its cookie, but the token's session version is behind: every page sends it to sign-in.
  expect((await b.context().cookies()).some((c) => c.name.includes('session-token'))).toBe(true);
  await b.goto('/customers');
  await expect(b).toHaveURL(/\/sign-in/);
  // Signing in again works as before.
  await signIn(b, email, password);
  await expectSignedIn(b);
});
