import type { APIRequestContext } from '@playwright/test';
import { expect, test } from '@playwright/test';
import type { TestSmtp } from '../lib/mail/test-server';
import { startTestSmtp } from '../lib/mail/test-server';
import { expectNoA11yViolations } from './axe';
import { storageState, unique } from './fixtures';

// The app server sends to smtp://127.0.0.1:<E2E_PORT + 25> (playwright.config.ts); this spec is that server.
const SMTP_PORT = Number(process.env.E2E_PORT ?? 3100) + 25;
const PHONE = { width: 390, height: 844 };

/** Granted and allowed customers of DE e-mail marketing among web-form customers, from the coverage export. */
async function coverage(request: APIRequestContext): Promise<{ granted: number; allowed: number }> {
  const response = await request.get('/coverage/export?market=DE&source=web_form');
  expect(response.status()).toBe(200);
  const lines = (await response.text())
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
  const header = lines[0]!.split(',');
  // Before the first web-form customer of the market the export has no row for it: nobody is counted yet.
  const row = lines.find((l) => l.startsWith('DE,email,marketing,'))?.split(',');
  if (!row) return { granted: 0, allowed: 0 };
  return { granted: Number(row[header.indexOf('granted')]), allowed: Number(row[header.indexOf('allowed')]) };
}

test.describe('hosted opt-in form with double opt-in', () => {
  // One mail server on one port: both tests in one worker, or the second worker's server finds the port taken.
  test.describe.configure({ mode: 'serial' });
  let smtp: TestSmtp;
  test.beforeAll(async () => {
    smtp = await startTestSmtp(SMTP_PORT);
  });
  test.afterAll(async () => smtp?.close());

  test('a German customer signs up, confirms from the mail, and is counted as confirmed', async ({ browser }) => {
    test.setTimeout(120_000);
    const slug = unique('gartenhaus').toLowerCase();
    const wording = 'Ja, senden Sie mir Angebote und Neuigkeiten von Gartenhaus Müller per E-Mail.';
    const admin = await (await browser.newContext({ storageState: storageState('admin') })).newPage();

    await admin.goto('/settings/forms/new');
    await admin.getByLabel('Address (slug)').fill(slug);
    await admin.getByLabel('Shop name').fill('Gartenhaus Müller');
    await admin.getByLabel('Privacy policy link').fill('https://gartenhaus.example/datenschutz');
    await admin.getByLabel('Language of the form').selectOption('de');
    await admin.getByLabel('Market of new customers').selectOption('DE');
    await admin.getByLabel('Sites that may embed the form').fill('https://gartenhaus.example');
    await admin.getByLabel('Ask for E-mail - Marketing').check();
    await admin.getByLabel('Wording: E-mail - Marketing').fill(wording);
    await admin.getByRole('button', { name: 'Save' }).click();
    await expect(admin.getByText('Form created.')).toBeVisible();
    await expect(admin.getByTestId('embed-snippet')).toContainText(`/f/${slug}`);
    const before = await coverage(admin.request);

    // The customer, on a phone, without an account.
    const customer = await (await browser.newContext({ viewport: PHONE, locale: 'de-DE' })).newPage();
    const response = await customer.goto(`/f/${slug}`);
    expect(response?.headers()['content-security-policy']).toContain('frame-ancestors https://gartenhaus.example');
    await expect(customer.getByRole('heading', { name: 'Nachrichten von Gartenhaus Müller' })).toBeVisible();
    const box = customer.getByRole('checkbox', { name: wording });
    await expect(box).not.toBeChecked();
    await expectNoA11yViolations(customer, 'the hosted form');
    const email = `${unique('lena')}@example.de`;
    await customer.getByLabel('E-Mail-Adresse').fill(email);
    await customer.getByRole('button', { name: 'Absenden' }).click();
    // Next.js keeps an empty route announcer with the alert role on every page: the form's own alert is the one with text.
    await expect(customer.getByRole('alert').filter({ hasText: 'mindestens ein Feld' })).toBeVisible();
    await box.check();
    await customer.getByRole('button', { name: 'Absenden' }).click();
    await expect(customer.getByTestId('opt-in-done')).toContainText('Bitte sehen Sie in Ihr Postfach');
    await expectNoA11yViolations(customer, 'the form after submitting');

    const mail = await smtp.mailTo(email);
    expect(mail.subject).toBe('Bitte bestätigen: Nachrichten von Gartenhaus Müller');
    const link = /https?:\/\/\S+\/c\/\S+/.exec(mail.text ?? '')?.[0];
    expect(link).toBeTruthy();
    const path = new URL(link!).pathname;

    // Opening the link (as a mail scanner would) confirms nothing; the button does.
    await customer.goto(path);
    await expect(customer.getByRole('heading', { name: 'Bitte bestätigen Sie' })).toBeVisible();
    await expect(customer.getByText('E-Mail: Angebote und Neuigkeiten (Werbung)')).toBeVisible();
    await expectNoA11yViolations(customer, 'the confirmation page');
    expect(await coverage(admin.request)).toEqual(before);
    await customer.getByRole('button', { name: 'Ja, ich bestätige' }).click();
    await expect(customer.getByTestId('confirm-result')).toContainText('Vielen Dank für Ihre Bestätigung');
    await expect(customer.getByTestId('confirm-result')).toContainText('E-Mail: Angebote und Neuigkeiten (Werbung)');
    await expectNoA11yViolations(customer, 'the page after confirming');

    // A second use says so, in German, and changes nothing.
    await customer.goto(path);
    await expect(customer.getByTestId('public-message')).toHaveAttribute('data-kind', 'linkUsed');
    await expect(customer.getByRole('heading', { name: 'Dieser Link wurde bereits verwendet' })).toBeVisible();
    await customer.goto(`${path.slice(0, -3)}xyz`);
    await expect(customer.getByTestId('public-message')).toHaveAttribute('data-kind', 'linkInvalid');

    // On the customer's page: e-mail marketing granted (confirmed) and allowed; counted on Coverage.
    await admin.goto(`/customers?q=${encodeURIComponent(email)}`);
    await admin.getByRole('link', { name: /#\d+/ }).first().click();
    const cell = admin.locator('[data-testid="consent-grid"] tr[data-channel="email"] td[data-purpose="marketing"]');
    await expect(cell).toContainText('Granted');
    await expect(cell).toContainText('May be contacted');
    await expect(admin.getByText(wording).first()).toBeVisible();
    const after = await coverage(admin.request);
    expect(after).toEqual({ granted: before.granted + 1, allowed: before.allowed + 1 });
    await admin.goto('/coverage?market=DE&source=web_form');
    await expect(admin.getByTestId('coverage-table')).toBeVisible();
  });

  test('the form is framed only by its allowed origins; every other page by none', async ({ request }) => {
    const other = await request.get('/sign-in');
    expect(other.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(other.headers()['x-frame-options']).toBe('DENY');
    const unknown = await request.get('/f/no-such-form-here');
    expect(unknown.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  });
});
