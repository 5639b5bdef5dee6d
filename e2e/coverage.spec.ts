import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { storageState } from './fixtures';

/** The first number of a cell: market row, then channel and purpose by position (email, sms, whatsapp, phone x marketing, transactional). */
function cell(page: Page, market: string, column: number) {
  return page.locator(`tr[data-market="${market}"] td`).nth(column);
}
const WHATSAPP_MARKETING = 4;
const EMAIL_MARKETING = 0;
const parseNumber = (text: string | null) => Number((text ?? '').replace(/[^\d]/g, ''));

test.describe('coverage', () => {
  test.use({ storageState: storageState('seller') });

  test('renders the matrix for every market with totals', async ({ page }) => {
    await page.goto('/coverage');
    const table = page.getByTestId('coverage-table');
    await expect(table).toBeVisible();
    for (const market of ['AT', 'DE', 'ES', 'FR', 'IT', 'NL', 'PL', 'all']) {
      await expect(table.locator(`tr[data-market="${market}"]`)).toBeVisible();
    }
    await expect(table.locator('tr[data-market="all"] td').first()).toContainText('/ 5,000');
    await expect(page.getByRole('heading', { name: /Consent states per market: WhatsApp, Marketing/ })).toBeVisible();
  });

  test('every number opens exactly those customers', async ({ page }) => {
    await page.goto('/coverage');
    const target = cell(page, 'DE', WHATSAPP_MARKETING);
    const allowed = target.locator('a').nth(1);
    const expected = parseNumber(await allowed.textContent());
    expect(expected).toBeGreaterThan(0);
    await allowed.click();
    await expect(page).toHaveURL(/\/customers\?market=DE&channel=whatsapp&purpose=marketing&decision=allowed/);
    await expect(page.getByTestId('customer-count')).toHaveText(`${expected.toLocaleString('en')} customers match`);

    await page.goBack();
    const withdrawn = cell(page, 'DE', WHATSAPP_MARKETING).getByRole('link', { name: /^W / });
    const withdrawnCount = parseNumber(await withdrawn.textContent());
    await withdrawn.click();
    await expect(page).toHaveURL(/state=withdrawn/);
    await expect(page.getByTestId('customer-count')).toHaveText(
      withdrawnCount === 1 ? '1 customer matches' : `${withdrawnCount.toLocaleString('en')} customers match`,
    );
  });

  test('shows coverage as of a past day and exports the matrix as CSV', async ({ page }) => {
    await page.goto('/coverage');
    await page.getByLabel('As of').fill('2026-08-31');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page).toHaveURL(/asOf=2026-08-31/);
    await expect(page.getByText(/Coverage as it was at the end of Aug 31, 2026/)).toBeVisible();
    const response = await page.request.get('/coverage/export?asOf=2026-08-31');
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain('text/csv');
    const lines = (await response.text()).trim().split('\r\n');
    expect(lines[0]).toBe('market,channel,purpose,customers,granted,pending_confirmation,withdrawn,unknown,allowed,allowed_share');
    expect(lines).toHaveLength(1 + 7 * 8);
  });

  test('a seller reads the market rules but cannot edit them', async ({ page }) => {
    await page.goto('/settings?market=DE');
    await expect(page.getByRole('table', { name: 'Rules for DE' })).toBeVisible();
    await expect(page.getByRole('button', { name: /Save/ })).toHaveCount(0);
    await expect(page.getByRole('checkbox')).toHaveCount(0);
  });
});

test.describe('market rules', () => {
  test.use({ storageState: storageState('admin') });

  test('an admin opens the existing-customer exception for PL e-mail and the matrix follows', async ({ page }) => {
    await page.goto('/coverage?market=PL');
    const before = parseNumber(await cell(page, 'PL', EMAIL_MARKETING).locator('a').nth(1).textContent());

    await page.goto('/settings?market=PL');
    const row = page.locator('tr[data-rule="email:marketing"]');
    await row.getByLabel(/Existing-customer exception/).check();
    await row.getByRole('button', { name: /Save/ }).click();
    const question = row.getByRole('alert');
    await expect(question).toContainText(/This lets [\d,]+ more customers be contacted\. Save anyway\?/);
    const more = parseNumber((await question.textContent())?.match(/lets ([\d,]+) more/)?.[1] ?? '');
    expect(more).toBeGreaterThan(0);
    await expect(row.getByLabel(/Existing-customer exception/)).toBeChecked();
    await row.getByRole('button', { name: 'Yes, save' }).click();
    await expect(row.getByRole('status')).toContainText('Saved.');

    await page.goto('/coverage?market=PL');
    await expect(cell(page, 'PL', EMAIL_MARKETING).locator('a').nth(1)).toHaveText((before + more).toLocaleString('en'));
  });

  test('an invalid rule is refused with a clear message', async ({ page }) => {
    await page.goto('/settings?market=AT');
    const row = page.locator('tr[data-rule="sms:marketing"]');
    await row.getByLabel(/Legal reference/).fill('');
    await row.getByRole('button', { name: /Save/ }).click();
    await expect(row.getByRole('alert')).toHaveText('Give the legal reference for the rule.');
    await page.reload();
    await expect(row.getByLabel(/Legal reference/)).toHaveValue('TKG 2021 §174');
  });
});
