import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { storageState } from './fixtures';

test.describe('erasure', () => {
  test.use({ storageState: storageState('support') });

  test('support erases a customer from the customer page; the ledger stays, the personal data goes', async ({ page }) => {
    // Several round trips, each rendering a customer page with its whole ledger.
    test.slow();
    await page.goto('/customers?market=IT&channel=email&purpose=transactional');
    await page.locator('tbody a').nth(2).click();
    await expect(page).toHaveURL(/\/customers\/\d+$/);
    const url = page.url();
    const contact = page.locator('dl').first();
    const email = (await contact.locator('dd').first().textContent())!.trim();
    expect(email).toContain('@');
    const events = await page.getByTestId('consent-timeline').locator('li').count();

    const form = page.getByTestId('erase-form');
    await form.getByRole('button', { name: 'Erase customer' }).click();
    await expect(page.getByText('Give the reason for the erasure.')).toBeVisible();

    await form.getByLabel('Reason').fill('Request by e-mail, ticket 5512');
    await form.getByLabel('Type ERASE to confirm').fill('erase it');
    await form.getByRole('button', { name: 'Erase customer' }).click();
    await expect(page.getByText('Type the word exactly as shown to confirm.')).toBeVisible();
    await expect(contact).toContainText(email);

    await form.getByLabel('Reason').fill('Request by e-mail, ticket 5512');
    await form.getByLabel('Type ERASE to confirm').fill('ERASE');
    await form.getByRole('button', { name: 'Erase customer' }).click();
    await expect(page.getByTestId('erased-banner')).toBeVisible();
    await expect(contact).not.toContainText(email);
    await expect(page.getByTestId('erase-form')).toHaveCount(0);
    await expect(page.getByText('This customer was erased: no personal data is left to export.')).toBeVisible();
    // The ledger is all there, with the erasure's withdrawals at its end.
    await expect(page.getByTestId('consent-timeline').locator('li').nth(events)).toContainText('erasure');
    await expect(page.getByTestId('consent-grid')).toContainText('May not be contacted: erased');

    const exported = await page.request.get(`${url}/access-export.json`);
    expect(exported.status()).toBe(410);
    expect((await exported.json()).error).toBe('This customer was erased: no personal data is left to export.');
  });
});

test.describe('access export', () => {
  test.use({ storageState: storageState('admin') });

  test('an admin downloads a customer access export and opens the printable page in their language', async ({ page }) => {
    test.slow();
    await page.goto('/customers?market=DE&channel=sms&purpose=transactional');
    await page.locator('tbody a').nth(1).click();
    await expect(page).toHaveURL(/\/customers\/(\d+)$/);
    const id = Number(/\/customers\/(\d+)$/.exec(page.url())![1]);
    const email = (await page.locator('dl').first().locator('dd').first().textContent())!.trim();

    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'JSON file' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`zgoda-access-export-${id}.json`);
    const body = JSON.parse(fs.readFileSync((await file.path())!, 'utf8'));
    expect(body.customer).toMatchObject({ id, email, market: 'DE' });
    expect(body.consentHistory.length).toBeGreaterThan(0);
    expect(body.consentHistory[0]).toHaveProperty('evidence');
    for (const key of ['consents', 'complaints', 'campaigns', 'whatsappReplies', 'suppressions', 'imports'])
      expect(Array.isArray(body[key])).toBe(true);

    await page.getByRole('link', { name: 'Printable page' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ihre personenbezogenen Daten');
    await expect(page.locator('article[lang="de"]')).toContainText(email);
    await expect(page.getByRole('heading', { name: 'Verlauf Ihrer Einwilligungen' })).toBeVisible();
  });
});
