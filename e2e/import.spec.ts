import { expect, request, test } from '@playwright/test';
import { storageState, unique } from './fixtures';

test.describe('customer import', () => {
  test.use({ storageState: storageState('seller') });

  test('a seller imports a Polish semicolon file: preview, dry run, commit, and finds a customer timeline', async ({ page }) => {
    // Two uploads, two dry runs and a commit: more than a plain test's time.
    test.slow();
    const id = unique('IMP');
    const email = `${id.toLowerCase()}@example.pl`;
    const csv = [
      'Nr klienta;Imię;Nazwisko;E-mail;Telefon;Kraj;email_marketing;email_marketing_date;email_marketing_source',
      `${id}-1;Zofia;Wrona;${email};600 700 800;Polska;tak;14.03.2026;formularz zamówienia v3`,
      `${id}-2;Piotr;Sowa;${email};600 700 801;Polska;nie;;`,
      `${id}-3;Ewa;Kos;ewa@@example.pl;600 700 802;Polska;tak;;`,
      `${id}-4;Adam;Dudek;adam.${email};600 700 803;Polska;tak;;`,
    ].join('\r\n');

    await page.goto('/customers');
    await page.getByRole('link', { name: 'Import customers' }).click();
    await expect(page).toHaveURL(/\/customers\/import$/);
    await page.getByLabel('File').setInputFiles({ name: `${id}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect(page).toHaveURL(/\/customers\/import\/\d+$/);
    await expect(page.getByText('Detected: UTF-8, delimiter ;')).toBeVisible();
    await expect(page.getByLabel('Meaning: E-mail', { exact: true })).toHaveValue('email');
    await expect(page.getByLabel('Meaning: Kraj')).toHaveValue('market');

    await page.getByRole('button', { name: 'Check the file (dry run)' }).click();
    await expect(page.getByText('Dry run finished.')).toBeVisible({ timeout: 30_000 });
    const counts = page.getByTestId('import-counts');
    await expect(counts).toContainText('Rows4');
    await expect(counts).toContainText('New customers2');
    await expect(counts).toContainText('Rejected2');
    await expect(counts).toContainText('With warnings1');
    await expect(page.getByTestId('import-events')).toContainText('E-mail: 1');
    const errors = page.getByTestId('import-errors');
    await expect(errors).toContainText(`E-mail: ${email} is already in row 1.`);
    await expect(errors).toContainText('“ewa@@example.pl” is not a valid e-mail address.');
    await expect(page.getByTestId('import-warnings')).toContainText('without a date and source is not consent');
    await expect(page.getByLabel('Meaning: Kraj')).toHaveValue('market');

    const rejected = await page.request.get(`${page.url()}/rejected`);
    expect(rejected.status()).toBe(200);
    const text = await rejected.text();
    expect(text.split('\r\n')[0]).toContain('error');
    expect(text).toContain(`${id}-2`);
    expect(text).not.toContain(`${id}-1`);

    await page.getByRole('button', { name: 'Commit import' }).click();
    await expect(page.getByText('Import committed: 1 consent event written.').first()).toBeVisible({ timeout: 30_000 });
    await page.getByRole('link', { name: 'Show the imported customers' }).click();
    await expect(page.getByTestId('customer-count')).toHaveText('2 customers match');
    await page.getByRole('link', { name: 'Zofia Wrona' }).click();
    await expect(page.getByTestId('consent-timeline')).toContainText('formularz zamówienia v3');

    await page.goto('/customers/import');
    await expect(page.getByRole('row', { name: new RegExp(`${id}\\.csv`) })).toContainText('Committed');

    // The same file again: nothing new, so nothing to commit.
    await page.getByLabel('File').setInputFiles({ name: `${id}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect(page).toHaveURL(/\/customers\/import\/\d+$/);
    await page.getByRole('button', { name: 'Check the file (dry run)' }).click();
    await expect(page.getByText('Dry run finished.')).toBeVisible({ timeout: 30_000 });
    await expect(counts).toContainText('Unchanged2');
    await expect(page.getByTestId('import-events')).toContainText('E-mail: 0');
    await expect(page.getByText('Nothing to write: every row is unchanged or rejected')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Commit import' })).toBeDisabled();
  });

  test('bad files get a clear message and write nothing', async ({ page }) => {
    await page.goto('/customers/import');
    const alert = page.locator('form').getByRole('alert');
    const upload = async (name: string, body: Buffer) => {
      await page.getByLabel('File').setInputFiles({ name, mimeType: 'text/csv', buffer: body });
      await page.getByRole('button', { name: 'Upload' }).click();
    };
    await upload('empty.csv', Buffer.alloc(0));
    await expect(alert).toHaveText('The file is empty.');
    await upload('header.csv', Buffer.from('email,market\r\n'));
    await expect(alert).toHaveText('The file has a header but no rows.');
    await upload('sheet.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]));
    await expect(alert).toContainText('This is a spreadsheet');
    await upload('quotes.csv', Buffer.from('email,market\r\na@example.pl,PL\r\n"b@example.pl,PL\r\n'));
    await expect(alert).toContainText('broken quote at row');
    await expect(page).toHaveURL(/\/customers\/import$/);
  });

  test('only sellers and admins may upload', async ({ baseURL }) => {
    for (const who of ['support', 'manager', null] as const) {
      const api = await request.newContext({ baseURL, storageState: who ? storageState(who) : undefined });
      const response = await api.post('/customers/import/upload', {
        headers: { 'Content-Type': 'text/csv', 'X-File-Name': 'x.csv' },
        data: 'email,market\r\na@example.pl,PL\r\n',
      });
      expect(response.status()).toBe(who ? 403 : 401);
      await api.dispose();
    }
  });
});
