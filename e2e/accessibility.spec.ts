// Every page of the app, as the role that sees it, and the states a user meets on the way (errors shown, dialogs open),
// checked with axe against WCAG 2.1 AA.
import { randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { inboundMessage } from '../lib/whatsapp/samples';
import { signBody } from '../lib/whatsapp/signature';
import { expectNoA11yViolations } from './axe';
import { addUser, signIn, storageState, unique } from './fixtures';

// The e2e server's app secret (e2e/playwright.config.ts).
const APP_SECRET = 'e2e-whatsapp-app-secret';
const PHONE = { width: 390, height: 844 };

/** Opens a page and waits for its main heading, so axe sees the page rendered, not a loading state. */
async function open(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible({ timeout: 20_000 });
}

async function firstCustomerUrl(page: Page, filter = ''): Promise<string> {
  await open(page, `/customers${filter}`);
  await page.locator('tbody a').first().click();
  await expect(page).toHaveURL(/\/customers\/\d+$/);
  return new URL(page.url()).pathname;
}

test.describe('public pages', () => {
  for (const [name, viewport] of [
    ['desktop', undefined],
    ['phone', PHONE],
  ] as const) {
    test.describe(name, () => {
      if (viewport) test.use({ viewport });

      test('sign-in, empty and with a wrong password', async ({ page }) => {
        await open(page, '/sign-in');
        await expectNoA11yViolations(page, 'sign-in');
        await signIn(page, 'manager@zgoda.demo', 'not-the-password');
        await expect(page.getByRole('alert').filter({ hasText: 'E-mail or password is not correct.' })).toBeVisible();
        await expectNoA11yViolations(page, 'sign-in with an error');
      });

      test('reset-password with a bad token', async ({ page }) => {
        await open(page, `/reset-password?token=${unique('bad')}`);
        await expect(page.getByTestId('reset-link-dead')).toBeVisible();
        await expectNoA11yViolations(page, 'reset-password with a bad token');
      });

      test('reset-password with a good link, and its error shown', async ({ page, browser }) => {
        // Adds a user through the admin pages first: more steps than one test's budget on a busy machine.
        test.slow();
        const email = `${unique('reset')}@example.com`;
        const admin = await addUser(browser, 'Rita Reset', email, 'Zapomniane haslo Rity 1');
        await admin
          .getByTestId(`user-row-${email}`)
          .getByRole('button', { name: /Reset password/ })
          .click();
        const link = await admin
          .getByTestId(`user-row-${email}`)
          .getByLabel(/One-time link for Rita Reset/)
          .inputValue();
        await expectNoA11yViolations(admin, 'users with a reset link shown');
        await admin.context().close();

        await open(page, link);
        await expect(page.getByText(`Set a new password for ${email}.`)).toBeVisible();
        await expectNoA11yViolations(page, 'reset-password form');
        await page.getByLabel('New password', { exact: true }).fill('Gruener Tee im Garten 42');
        await page.getByLabel('Repeat the new password').fill('something else entirely');
        await page.getByRole('button', { name: 'Set password' }).click();
        await expect(page.getByText('The two new passwords do not match.')).toBeVisible();
        await expectNoA11yViolations(page, 'reset-password form with an error');
      });
    });
  }
});

test.describe('as admin', () => {
  test.use({ storageState: storageState('admin') });

  for (const path of [
    '/',
    '/customers',
    '/coverage',
    '/complaints',
    '/monitor',
    '/messages',
    '/settings',
    '/settings/users',
    '/settings/alerts',
    '/settings/whatsapp',
    '/settings/data-protection',
    '/settings/api',
    '/settings/forms',
    '/settings/forms/new',
    '/customers/confirmations',
    '/account',
  ]) {
    test(`page ${path}`, async ({ page }) => {
      await open(page, path);
      if (path === '/monitor') await expect(page.locator('.recharts-surface').first()).toBeVisible();
      await expectNoA11yViolations(page, path);
    });
  }

  test('a customer and the proof page', async ({ page }) => {
    const customer = await firstCustomerUrl(page, '?market=PL&channel=email&purpose=marketing&state=granted');
    await expect(page.getByTestId('consent-grid')).toBeVisible();
    await expectNoA11yViolations(page, customer);
    await open(page, `${customer}/proof`);
    await expectNoA11yViolations(page, `${customer}/proof`);
  });

  test('a complaint', async ({ page }) => {
    await open(page, '/complaints');
    await page.locator('tbody a').first().click();
    await expect(page).toHaveURL(/\/complaints\/\d+$/);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expectNoA11yViolations(page, page.url());
  });

  test('monitor with the table of a chart open', async ({ page }) => {
    await open(page, '/monitor');
    await page.locator('details summary').first().click();
    await expectNoA11yViolations(page, 'monitor with a chart table open');
  });

  test('a form with validation errors shown', async ({ page }) => {
    await open(page, '/settings/users');
    await page.getByLabel('Name').fill('Jan Kurz');
    await page.getByLabel('E-mail').fill(`${unique('a11y')}@example.com`);
    await page.getByLabel('Initial password').fill('short');
    await page.getByRole('button', { name: 'Add user' }).click();
    await expect(page.getByLabel('Initial password')).toHaveAttribute('aria-invalid', 'true');
    await expectNoA11yViolations(page, 'users with a form error');
  });

  test('the account menu open', async ({ page }) => {
    await open(page, '/');
    await page.getByRole('button', { name: 'Account menu' }).click();
    await expect(page.getByRole('menu')).toBeVisible();
    await expectNoA11yViolations(page, 'overview with the account menu open');
  });

  test('the page that does not exist', async ({ page }) => {
    const response = await page.goto(`/${unique('nowhere')}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expectNoA11yViolations(page, 'not found');
  });

  test.describe('at phone width', () => {
    test.use({ viewport: PHONE });

    test('the navigation dialog open', async ({ page }) => {
      await open(page, '/');
      await expectNoA11yViolations(page, 'overview at phone width');
      await page.getByRole('button', { name: 'Open menu' }).click();
      await expect(page.getByRole('dialog')).toBeVisible();
      await expectNoA11yViolations(page, 'overview with the navigation dialog open');
    });
  });
});

test.describe('as seller', () => {
  test.use({ storageState: storageState('seller') });

  test('import: the page, a batch at the mapping step and after a dry run', async ({ page }) => {
    test.slow();
    await open(page, '/customers/import');
    await expectNoA11yViolations(page, 'import');
    const id = unique('A11Y');
    const csv = ['email,market,email_marketing', `${id.toLowerCase()}@example.pl,PL,yes`, 'not-an-address,PL,yes'].join('\r\n');
    await page.getByLabel('File').setInputFiles({ name: `${id}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect(page).toHaveURL(/\/customers\/import\/\d+$/);
    await expect(page.getByText(/^Detected:/)).toBeVisible();
    await expectNoA11yViolations(page, 'import batch, mapping');
    await page.getByRole('button', { name: 'Check the file (dry run)' }).click();
    await expect(page.getByText('Dry run finished.')).toBeVisible();
    await expectNoA11yViolations(page, 'import batch after a dry run');
  });

  test('messages: a new draft with failing checks, and a saved draft', async ({ page }) => {
    await open(page, '/messages/new');
    await expectNoA11yViolations(page, 'new draft');
    const form = page.getByRole('form', { name: 'Message draft' });
    await form.getByLabel('Name', { exact: true }).fill(unique('a11y_sale').replace(/-/g, '_'));
    await form.getByLabel('Category').selectOption('marketing');
    await form.getByLabel('Language').selectOption('pl');
    await form.getByLabel('Body').fill('Cześć {{1}}, w sklepie zaczyna się wyprzedaż. Use code SAVE10!');
    await form.getByLabel('Example for {{1}}').fill('Anna');
    await expect(page.getByTestId('checks')).toContainText('A marketing message must offer a way out');
    await expectNoA11yViolations(page, 'new draft with failing checks');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect(page).toHaveURL(/\/messages\/\d+$/);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expectNoA11yViolations(page, 'a saved draft');
  });
});

test.describe('as support', () => {
  test.use({ storageState: storageState('support') });

  test('a new complaint, searched and with its errors shown', async ({ page }) => {
    await open(page, '/complaints/new');
    await expectNoA11yViolations(page, 'new complaint');
    await page.getByLabel('Phone, e-mail or name').fill('nobody-here@example.org');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(page.getByText('No customer matches.')).toBeVisible();
    await page.getByRole('button', { name: 'Log complaint' }).click();
    await expect(page.getByText('Describe what happened.')).toBeVisible();
    await expectNoA11yViolations(page, 'new complaint with errors');
  });

  test('the replies queue with a reply in it', async ({ page, request }) => {
    const wamid = `wamid.${randomBytes(12).toString('hex').toUpperCase()}`;
    const body = JSON.stringify(
      inboundMessage('+4915790004321', { type: 'text', text: 'Woher haben Sie meine Nummer?' }, { id: wamid, at: new Date() }),
    );
    const answer = await request.post('/api/webhooks/whatsapp', {
      data: body,
      headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signBody(body, APP_SECRET) },
    });
    expect(answer.status()).toBe(200);
    await open(page, '/replies');
    await expect(page.locator(`tr[data-message-id="${wamid}"]`)).toHaveCount(1);
    await expectNoA11yViolations(page, 'replies');
  });

  test('a customer with the record form showing its error', async ({ page }) => {
    await firstCustomerUrl(page, '?market=DE&channel=email&purpose=marketing&state=granted');
    await page.getByRole('button', { name: 'Record' }).click();
    await expect(page.getByText('Choose what happened.')).toBeVisible();
    await expectNoA11yViolations(page, 'customer with a form error');
  });

  test('a page the role may not open', async ({ page }) => {
    const response = await page.goto('/monitor');
    expect(response?.status()).toBe(403);
    await expect(page.getByRole('heading', { name: 'You do not have access to this page' })).toBeVisible();
    await expectNoA11yViolations(page, 'forbidden');
  });
});
