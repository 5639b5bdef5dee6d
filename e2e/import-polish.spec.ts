import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { SHOPIFY_EXPORT, encodeWindows, polishExport } from '../lib/import/fixtures';
import { storageState, unique } from './fixtures';

const SHOTS = '/tmp/shots';

test.describe('importing a Polish shop export', () => {
  test.use({ storageState: storageState('seller') });

  test('a Windows-1250 semicolon file: consent columns recognised untouched, events counted, a WhatsApp grant on the customer', async ({
    page,
  }) => {
    const id = unique('PL');
    const bytes = Buffer.from(encodeWindows(polishExport(id), 'windows-1250'));

    await page.goto('/customers/import');
    await page.getByLabel('File').setInputFiles({ name: `${id}.csv`, mimeType: 'text/csv', buffer: bytes });
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect(page).toHaveURL(/\/customers\/import\/\d+$/);
    await expect(page.getByText('Detected: WINDOWS-1250, delimiter ;')).toBeVisible();

    // Each consent column gets its meaning and says why, next to the column.
    const expected: Array<[column: string, target: string, reason: string]> = [
      ['Identyfikator', 'externalId', 'Customer number'],
      ['Telefon', 'phone', 'Phone'],
      ['Zgoda e-mail marketing', 'email.marketing', 'consent · E-mail · marketing'],
      ['Data zgody e-mail', 'email.marketing.date', 'date of consent · E-mail · marketing'],
      ['Zgoda WhatsApp marketing', 'whatsapp.marketing', 'consent · WhatsApp · marketing'],
      ['Data zgody WhatsApp', 'whatsapp.marketing.date', 'date of consent · WhatsApp · marketing'],
      ['Źródło zgody', 'consent.source', 'source of consent · all consent columns'],
    ];
    for (const [column, target, reason] of expected) {
      await expect(page.getByLabel(`Meaning: ${column}`, { exact: true })).toHaveValue(target);
      await expect(page.getByRole('row', { name: new RegExp(`^${column}`) }).getByTestId('column-reason')).toHaveText(reason);
    }
    await expect(page.getByTestId('consent-ignored')).toHaveCount(0);
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.setViewportSize({ width: 1440, height: 1100 });
    await page
      .getByRole('table')
      .first()
      .screenshot({ path: `${SHOTS}/import-mapping.png` });

    await page.getByRole('button', { name: 'Check the file (dry run)' }).click();
    await expect(page.getByText('Dry run finished.')).toBeVisible({ timeout: 30_000 });
    const counts = page.getByTestId('import-counts');
    await expect(counts).toContainText('Rows4');
    await expect(counts).toContainText('New customers4');
    await expect(counts).toContainText('Rejected0');
    const events = page.getByTestId('import-events');
    await expect(events).toContainText('E-mail: 2');
    await expect(events).toContainText('WhatsApp: 3');
    await expect(page.getByTestId('import-warnings')).toContainText('without a date and source is not consent');
    await expect(page.getByTestId('import-consent-ignored')).toHaveCount(0);

    await page.getByRole('button', { name: 'Commit import' }).click();
    await expect(page.getByText('Import committed: 5 consent events written.').first()).toBeVisible({ timeout: 30_000 });
    await page.getByRole('link', { name: 'Show the imported customers' }).click();
    await expect(page.getByTestId('customer-count')).toHaveText('4 customers match');
    await page.getByRole('link', { name: 'Paweł Żółkiewski' }).click();
    const grid = page.getByTestId('consent-grid');
    await expect(grid.locator('tr[data-channel="whatsapp"] td[data-purpose="marketing"]')).toContainText('Granted');
    await expect(grid.locator('tr[data-channel="email"] td[data-purpose="marketing"]')).toContainText('Withdrawn');
    await expect(page.getByTestId('consent-timeline')).toContainText('formularz rejestracji v2');
  });

  test('a consent column the seller sets to ignore is flagged on the mapping step and in the dry run', async ({ page }) => {
    const id = unique('PLX');
    const bytes = Buffer.from(encodeWindows(polishExport(id), 'windows-1250'));
    await page.goto('/customers/import');
    await page.getByLabel('File').setInputFiles({ name: `${id}.csv`, mimeType: 'text/csv', buffer: bytes });
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect(page).toHaveURL(/\/customers\/import\/\d+$/);
    await page.getByLabel('Meaning: Zgoda WhatsApp marketing', { exact: true }).selectOption('');
    await expect(page.getByTestId('consent-ignored')).toHaveText(
      '1 column that looks like consent is ignored: Zgoda WhatsApp marketing. Map it to a consent, or its answers are not imported.',
    );
    await page.setViewportSize({ width: 1440, height: 1100 });
    await page.getByTestId('consent-ignored').screenshot({ path: `${SHOTS}/import-consent-ignored.png` });
    await page.getByRole('button', { name: 'Check the file (dry run)' }).click();
    await expect(page.getByText('Dry run finished.')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('import-consent-ignored')).toHaveText(
      '1 column that looks like consent is ignored: Zgoda WhatsApp marketing. Their answers are not imported.',
    );
    await expect(page.getByTestId('import-events')).toContainText('WhatsApp: 0');
  });

  test('a Shopify export with an unquoted formula: the row and line named, then read leniently with the row as a warning', async ({
    page,
  }) => {
    const id = unique('SHOP');
    // Unique ids, e-mails and phones, so that the test can run again on the same database.
    const n = Date.now() % 1_000_000;
    const csv = SHOPIFY_EXPORT.replace(/730(\d)/g, `${n}$1`)
      .replace(/@example/g, `.${id.toLowerCase()}@example`)
      .replace("'+48600700800", `'+4860${String(n).padStart(7, '0')}`)
      .replace('+4915112345678', `+49151${String(n).padStart(8, '0')}`);
    await page.goto('/customers/import');
    await page.getByLabel('File').setInputFiles({ name: `${id}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect(page.locator('form').getByRole('alert')).toContainText('The file has a broken quote at row 2 (line 3)');
    await page.getByRole('button', { name: 'Read again, taking stray quotes as text' }).click();
    await expect(page).toHaveURL(/\/customers\/import\/\d+$/);
    await expect(page.getByText('Read leniently: quotes inside fields are taken as text.')).toBeVisible();
    await expect(page.getByLabel('Meaning: Accepts SMS Marketing', { exact: true })).toHaveValue('sms.marketing');
    await page.getByLabel('How consent was collected').fill('Shopify checkout');
    await page.getByLabel('When consent was given').fill('2026-01-01');
    await page.getByRole('button', { name: 'Check the file (dry run)' }).click();
    await expect(page.getByText('Dry run finished.')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('import-counts')).toContainText('Rejected0');
    const warnings = page.getByTestId('import-warnings');
    await expect(warnings).toContainText('Note: a stray quote was read as text: “=HYPERLINK("http://evil.example")”. Check this row.');
    await expect(warnings.getByRole('row').nth(1)).toContainText('2');
  });
});
