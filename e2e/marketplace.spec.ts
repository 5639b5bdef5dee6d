import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { storageState, unique } from './fixtures';

// Screenshots for review go here when set (e.g. SHOTS_DIR=/tmp/shots).
const SHOTS = process.env.SHOTS_DIR;

test.describe('Amazon buyers', () => {
  test.use({ storageState: storageState('admin') });

  test('an Amazon export is marked in the dry run, its buyers are blocked by Amazon’s rules on the customer page and in coverage', async ({
    page,
  }) => {
    const id = unique('AMZ');
    const relay = `${id.toLowerCase().replace(/[^a-z0-9]/g, '')}@marketplace.amazon.de`;
    // Phones of this run alone: a phone another spec imported would match that customer instead of making a new one.
    const digits = String(Date.now()).slice(-6);
    const csv = [
      'Kundennummer;Vorname;Nachname;E-Mail;Telefon;Land;Vertriebskanal',
      `${id}-1;Lena;Schmidt;${relay};0151 1${digits};DE;Amazon.de`,
      `${id}-2;Jonas;Weber;jonas.${id.toLowerCase()}@web.de;0151 2${digits};DE;Amazon Bestellung`,
      `${id}-3;Marie;Dubois;marie.${id.toLowerCase()}@orange.fr;06 3${digits.slice(0, 1)} ${digits.slice(1, 3)} ${digits.slice(3, 5)} ${digits.slice(5)}0;FR;Webshop`,
    ].join('\r\n');

    await page.goto('/customers/import');
    await page.getByLabel('File').setInputFiles({ name: `${id}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect(page).toHaveURL(/\/customers\/import\/\d+$/);
    await expect(page.getByLabel('Meaning: Vertriebskanal')).toHaveValue('orderSource');
    await page.getByRole('button', { name: 'Check the file (dry run)' }).click();
    await expect(page.getByText('Dry run finished.')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('import-marketplace')).toContainText('2 rows are Amazon buyers’');
    await expect(page.getByTestId('import-marketplace')).toContainText('they will be blocked unless they consent through your own channel');
    await page.getByRole('button', { name: 'Commit import' }).click();
    await expect(page.getByText(/Import committed/).first()).toBeVisible({ timeout: 30_000 });

    await page.getByRole('link', { name: 'Show the imported customers' }).click();
    await page.getByRole('link', { name: 'Lena Schmidt' }).click();
    await expect(page.getByTestId('marketplace-notice')).toContainText('Amazon buyer');
    await expect(page.getByTestId('marketplace-notice')).toContainText('Amazon relay address');
    const grid = page.getByTestId('consent-grid');
    await expect(grid.locator('tr[data-channel="whatsapp"] td[data-purpose="marketing"]')).toContainText(
      'May not be contacted: Amazon’s rules (Amazon buyer)',
    );
    await expect(grid.locator('tr[data-channel="email"] td[data-purpose="transactional"]')).toContainText('Amazon’s rules');
    await expect(grid.locator('tr[data-channel="sms"] td[data-purpose="transactional"]')).toContainText('Amazon Communication Guidelines');
    if (SHOTS) {
      fs.mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: `${SHOTS}/customer-amazon-buyer.png`, fullPage: true });
    }

    await page.goto('/coverage');
    const card = page.getByTestId('marketplace-coverage');
    await expect(card).toContainText('Amazon buyers');
    await expect(card.locator('tr[data-channel="whatsapp"] td[data-purpose="marketing"]')).not.toHaveText('0');
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/coverage.png`, fullPage: true });
    await card.getByRole('link', { name: 'Blocked by Amazon’s rules for WhatsApp marketing' }).click();
    await expect(page).toHaveURL(/reason=marketplace_policy/);
    await expect(page.getByRole('link', { name: 'Lena Schmidt' })).toBeVisible();

    await page.goto('/settings');
    await expect(page.getByTestId('marketplace-guidelines')).toContainText('Buyer-Seller Messaging');
  });
});
