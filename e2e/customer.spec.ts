import { expect, test } from '@playwright/test';
import { storageState } from './fixtures';

test.describe('customer page', () => {
  test.use({ storageState: storageState('support') });

  test('support records a withdrawal by hand and the timeline and grid show it', async ({ page }) => {
    await page.goto('/customers?market=FR&channel=sms&purpose=marketing&state=granted');
    await page.locator('tbody a').first().click();
    await expect(page).toHaveURL(/\/customers\/\d+$/);
    const sms = page.getByTestId('consent-grid').locator('tr[data-channel="sms"] td[data-purpose="marketing"]');
    await expect(sms).toContainText('Granted');

    await page.getByRole('button', { name: 'Record' }).click();
    await expect(page.getByText('Choose what happened.')).toBeVisible();

    await page.getByLabel('Customer withdrew consent').check();
    await page.getByLabel('Channel').selectOption('sms');
    await page.getByLabel('Purpose').selectOption('marketing');
    await page.getByLabel('When the customer did it').fill('2026-11-20T09:30');
    await page.getByLabel('How').selectOption('support_call');
    await page.getByRole('button', { name: 'Record' }).click();
    await expect(page.getByText('A withdrawal needs a reason.')).toBeVisible();

    await page.getByLabel('Customer withdrew consent').check();
    await page.getByLabel('Channel').selectOption('sms');
    await page.getByLabel('Purpose').selectOption('marketing');
    await page.getByLabel('When the customer did it').fill('2026-11-20T09:30');
    await page.getByLabel('How').selectOption('support_call');
    await page.getByLabel('Reason (required)').fill('Asked on the phone to stop SMS offers');
    await page.getByRole('button', { name: 'Record' }).click();
    await expect(page.getByText('Recorded. The state is now: withdrawn.')).toBeVisible();
    await expect(sms).toContainText('Withdrawn');
    await expect(page.getByTestId('consent-timeline')).toContainText('Asked on the phone to stop SMS offers');
    await expect(page.getByTestId('consent-timeline')).toContainText('Zuzanna Kowalczyk');

    const proof = await page.request.get(`${page.url()}/proof.json`);
    expect(proof.status()).toBe(200);
    const body = await proof.json();
    expect(body.ledger.some((e: { evidence: { reason?: string } }) => e.evidence.reason === 'Asked on the phone to stop SMS offers')).toBe(
      true,
    );
  });

  test('a withdrawal of all purposes writes both or, dated in the future, neither', async ({ page }) => {
    await page.goto('/customers?market=DE&channel=email&purpose=marketing&state=granted');
    await page.locator('tbody a').first().click();
    await expect(page).toHaveURL(/\/customers\/\d+$/);
    const email = page.getByTestId('consent-grid').locator('tr[data-channel="email"]');
    const record = async (when: string) => {
      await page.getByLabel('Customer withdrew consent').check();
      await page.getByLabel('Channel').selectOption('email');
      await page.getByLabel('Purpose').selectOption('all');
      await page.getByLabel('When the customer did it').fill(when);
      await page.getByLabel('How').selectOption('email');
      await page.getByLabel('Reason (required)').fill('Wrote to stop every e-mail');
      await page.getByRole('button', { name: 'Record' }).click();
    };

    await record(`${new Date().getFullYear() + 1}-01-15T10:00`);
    await expect(page.getByText('The date lies in the future.')).toBeVisible();
    await expect(email.locator('td[data-purpose="marketing"]')).toContainText('Granted');

    await record(new Date(Date.now() - 24 * 3600 * 1000).toISOString().slice(0, 16));
    await expect(page.getByText('Recorded. The state is now: withdrawn.')).toBeVisible();
    await expect(email.locator('td[data-purpose="marketing"]')).toContainText('Withdrawn');
    await expect(email.locator('td[data-purpose="transactional"]')).toContainText('Withdrawn');
  });
});

test.describe('manager on a customer page', () => {
  test.use({ storageState: storageState('manager') });

  test('reads the consents and the proof but cannot record', async ({ page }) => {
    await page.goto('/customers');
    await page.locator('tbody a').first().click();
    await expect(page.getByTestId('consent-grid')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Record' })).toHaveCount(0);
    await page.getByRole('link', { name: 'Proof of consent' }).click();
    await expect(page.getByRole('heading', { name: 'Proof of consent' })).toBeVisible();
  });
});
