import { expect, test } from '@playwright/test';
import { expectNoA11yViolations } from './axe';
import { storageState } from './fixtures';

test.describe('data protection', () => {
  test.use({ storageState: storageState('admin') });

  test('an admin sets retention, runs it now, sees the run and verifies the audit trail', async ({ page }) => {
    await page.goto('/settings/data-protection');
    await expect(page.getByRole('heading', { name: 'How long data is kept' })).toBeVisible();
    await expectNoA11yViolations(page);

    const files = page.getByLabel('Import files and their staged and rejected rows (days after the commit)');
    const ledger = page.getByLabel('Consent ledger and audit trail of a customer (years after the last consent event)');
    await files.fill('0');
    await ledger.fill('2');
    await page.getByRole('button', { name: 'Save retention settings' }).click();
    await expect(page.getByText('Please correct the marked fields.')).toBeVisible();
    await expect(page.getByText('Enter a whole number within the range shown.')).toHaveCount(2);
    await files.fill('45');
    await ledger.fill('5');
    await page.getByRole('button', { name: 'Save retention settings' }).click();
    await expect(page.getByText('Retention settings saved.')).toBeVisible();
    await page.reload();
    await expect(files).toHaveValue('45');
    await files.fill('30');
    await page.getByRole('button', { name: 'Save retention settings' }).click();
    await expect(page.getByText('Retention settings saved.')).toBeVisible();

    await page.getByRole('button', { name: 'Run retention now' }).click();
    await expect(page.getByText(/A retention run is queued|A retention run is already waiting/)).toBeVisible();
    const runs = page.getByRole('table', { name: 'Retention runs' });
    await expect(async () => {
      await page.reload();
      await expect(runs.getByRole('row').nth(1)).toContainText('Done', { timeout: 1_000 });
    }).toPass({ timeout: 60_000 });
    await expect(runs.getByRole('row').nth(1)).toContainText('Alicja Nowak');

    await page.getByRole('button', { name: 'Verify now' }).click();
    await expect(page.getByText(/The audit trail is intact up to entry \d+\./)).toBeVisible();
    await expect(page.getByTestId('chain-state')).toContainText('Intact');
    await expect(page.getByTestId('chain-state')).toContainText(/Verified up to entry \d+/);
  });
});

test.describe('data protection for other roles', () => {
  test.use({ storageState: storageState('seller') });

  test('a seller neither sees the tab nor opens the page', async ({ page }) => {
    await page.goto('/settings');
    const tabs = page.getByRole('navigation', { name: 'Settings' });
    await expect(tabs.getByRole('link', { name: 'Market rules' })).toBeVisible();
    await expect(tabs.getByRole('link', { name: 'Data protection' })).toHaveCount(0);
    await page.goto('/settings/data-protection');
    await expect(page.getByRole('heading', { name: 'How long data is kept' })).toHaveCount(0);
  });
});
