import { randomBytes } from 'node:crypto';
import type { APIRequestContext } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { inboundMessage } from '../lib/whatsapp/samples';
import { signBody } from '../lib/whatsapp/signature';
import { storageState, unique } from './fixtures';

// The e2e server's values (e2e/playwright.config.ts).
const APP_SECRET = 'e2e-whatsapp-app-secret';
const VERIFY_TOKEN = 'e2e-whatsapp-verify-token';

test.describe('complaints as support', () => {
  test.use({ storageState: storageState('support') });

  test('logs a complaint with a withdrawal and the customer timeline shows it', async ({ page }) => {
    // Many steps through several pages: more than the default time on a busy machine.
    test.slow();
    await page.goto('/customers?market=AT&channel=email&purpose=marketing&state=granted');
    const row = page.locator('tbody tr').first();
    const name = (await row.locator('a').textContent())!.trim();
    const address = (await row.locator('td').nth(1).textContent())!.trim();
    await row.locator('a').click();
    await expect(page).toHaveURL(/\/customers\/\d+$/);
    const customerUrl = page.url();
    const email = page.getByTestId('consent-grid').locator('tr[data-channel="email"] td[data-purpose="marketing"]');
    await expect(email).toContainText('Granted');

    await page.goto('/complaints/new');
    await page.getByLabel('Phone, e-mail or name').fill(address.toUpperCase());
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: `Choose ${name}` }).click();
    await expect(page.getByTestId('chosen-customer')).toContainText(name);

    await page.getByRole('button', { name: 'Log complaint' }).click();
    await expect(page.getByText('Choose the kind.')).toBeVisible();
    await expect(page.getByText('Describe what happened.')).toBeVisible();

    const description = unique('Newsletter after unsubscribing');
    await page.getByLabel('Kind').selectOption('unwanted_marketing');
    await page.getByLabel('Channel complained about').selectOption('email');
    await page.getByLabel('What happened').fill(description);
    await expect(page.getByLabel('Marketing')).toBeChecked();
    await page.getByRole('button', { name: 'Log complaint' }).click();

    await expect(page).toHaveURL(/\/complaints\/\d+\?logged=1$/);
    await expect(page.getByText('Complaint logged.')).toBeVisible();
    await expect(page.getByText(description)).toBeVisible();

    await page.getByLabel('Status').selectOption('resolved');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('Say how the complaint was resolved.')).toBeVisible();
    await page.getByLabel('Resolution').fill('Removed from the newsletter list');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('Complaint updated.')).toBeVisible();

    await page.goto(customerUrl);
    await expect(email).toContainText('Withdrawn');
    await expect(page.getByTestId('consent-timeline')).toContainText(description);
    await expect(page.getByTestId('consent-timeline')).toContainText('complaint');

    await page.goto('/complaints?status=resolved&kind=unwanted_marketing');
    await expect(page.getByRole('table')).toContainText(name);
    const csv = await page.request.get('/complaints/export?status=resolved&kind=unwanted_marketing');
    expect(csv.headers()['content-type']).toContain('text/csv');
    expect(await csv.text()).toContain(description);
  });

  test('logs a complaint from someone who is not a customer', async ({ page }) => {
    await page.goto('/complaints/new?q=nobody-here%40example.org');
    await expect(page.getByText('No customer matches.')).toBeVisible();
    await page.getByLabel('Phone of the complainant').fill('0170 1234567');
    await page.getByLabel('Kind').selectOption('legal_notice');
    await page.getByLabel('Channel complained about').selectOption('whatsapp');
    await page.getByLabel('Market').selectOption('DE');
    await page.getByLabel('What happened').fill(unique('Abmahnung by a law firm'));
    await page.getByRole('button', { name: 'Log complaint' }).click();
    await expect(page.getByText('Complaint logged.')).toBeVisible();
    await expect(page.getByText('Formal legal notice: urgent until resolved.')).toBeVisible();
    await expect(page.getByText('+491701234567')).toBeVisible();
  });
});

test.describe('manager', () => {
  test.use({ storageState: storageState('manager') });

  test('reads complaints but cannot log one or withdraw consent', async ({ page }) => {
    await page.goto('/complaints');
    await expect(page.getByRole('heading', { name: 'Complaints', level: 1 })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Log complaint' })).toHaveCount(0);
    await page.goto('/complaints/new');
    await expect(page.getByText('You do not have access to this page')).toBeVisible();
    await page.goto('/complaints');
    await page.locator('tbody a').first().click();
    await expect(page.getByText('Managers read complaints')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Save' })).toHaveCount(0);
  });
});

async function keywordOptOutsToday(request: APIRequestContext, today: string): Promise<number> {
  const csv = await (await request.get(`/monitor/export?chart=sources&grain=day&from=${today}&to=${today}`)).text();
  const [header, row] = csv.trim().split('\r\n');
  const column = header!.split(',').indexOf('keyword');
  return Number(row!.split(',')[column]);
}

test.describe('WhatsApp webhook and monitor', () => {
  test.use({ storageState: storageState('admin') });

  test('answers the subscription check only with the verify token', async ({ request }) => {
    const ok = await request.get(`/api/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(ok.status()).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const wrong = await request.get('/api/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1');
    expect(wrong.status()).toBe(403);
  });

  test('a signed STOP withdraws WhatsApp and appears on the monitor; a forged one changes nothing', async ({ page, request }) => {
    test.slow();
    await page.goto('/customers?market=DE&channel=whatsapp&purpose=marketing&state=granted');
    const row = page.locator('tbody tr').first();
    const phone = (await row.locator('td').nth(2).textContent())!.trim();
    expect(phone).toMatch(/^\+49\d+$/);
    await row.locator('a').click();
    await expect(page).toHaveURL(/\/customers\/\d+$/);
    const customerUrl = page.url();

    const today = new Date().toISOString().slice(0, 10);
    const before = await keywordOptOutsToday(page.request, today);
    const body = JSON.stringify(
      inboundMessage(phone, { type: 'text', text: 'Stop' }, { id: `wamid.${randomBytes(12).toString('hex')}`, at: new Date() }),
    );

    const forged = await request.post('/api/webhooks/whatsapp', {
      data: body,
      headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signBody(body, 'not-the-secret') },
    });
    expect(forged.status()).toBe(401);
    expect(await keywordOptOutsToday(page.request, today)).toBe(before);

    const signed = await request.post('/api/webhooks/whatsapp', {
      data: body,
      headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signBody(body, APP_SECRET) },
    });
    expect(signed.status()).toBe(200);
    expect(await signed.json()).toMatchObject({ recorded: 2 });
    const again = await request.post('/api/webhooks/whatsapp', {
      data: body,
      headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signBody(body, APP_SECRET) },
    });
    expect(await again.json()).toMatchObject({ recorded: 0, duplicates: 2 });

    await page.goto(customerUrl);
    await expect(page.getByTestId('consent-grid').locator('tr[data-channel="whatsapp"] td[data-purpose="marketing"]')).toContainText(
      'Withdrawn',
    );

    await page.goto(`/monitor?grain=day&from=${today}&to=${today}`);
    const sources = page.getByTestId('sources-table');
    await sources.getByText('Show as table').click();
    await expect(sources.locator('tbody tr').first().locator('td').first()).toHaveText(String(before + 1));
    expect(await keywordOptOutsToday(page.request, today)).toBe(before + 1);
  });
});
