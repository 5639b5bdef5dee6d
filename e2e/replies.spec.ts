import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { inboundMessage } from '../lib/whatsapp/samples';
import { signBody } from '../lib/whatsapp/signature';
import { storageState } from './fixtures';

// The e2e server's app secret (e2e/playwright.config.ts).
const APP_SECRET = 'e2e-whatsapp-app-secret';

test.describe('replies to review as support', () => {
  test.use({ storageState: storageState('support') });

  test('a signed "Nie piszcie do mnie więcej" waits in the queue and "withdraw all WhatsApp" withdraws it on the customer', async ({
    page,
    request,
  }) => {
    test.slow();
    await page.goto('/customers?market=PL&channel=whatsapp&purpose=transactional&state=granted');
    // Not the first row: other specs take that one.
    const row = page.locator('tbody tr').nth(2);
    const name = (await row.locator('a').textContent())!.trim();
    const phone = (await row.locator('td').nth(2).textContent())!.trim();
    expect(phone).toMatch(/^\+48\d+$/);
    await row.locator('a').click();
    await expect(page).toHaveURL(/\/customers\/\d+$/);
    const customerUrl = page.url();
    const whatsapp = (purpose: string) =>
      page.getByTestId('consent-grid').locator(`tr[data-channel="whatsapp"] td[data-purpose="${purpose}"]`);
    await expect(whatsapp('transactional')).toContainText('Granted');

    const wamid = `wamid.${randomBytes(12).toString('hex').toUpperCase()}`;
    const body = JSON.stringify(inboundMessage(phone, { type: 'text', text: 'Nie piszcie do mnie więcej' }, { id: wamid, at: new Date() }));
    const post = () =>
      request.post('/api/webhooks/whatsapp', {
        data: body,
        headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signBody(body, APP_SECRET) },
      });
    const first = await post();
    expect(first.status()).toBe(200);
    expect(await first.json()).toMatchObject({ recorded: 0, queued: 1 });
    // Meta retries: still one entry.
    expect(await (await post()).json()).toMatchObject({ recorded: 0, queued: 0, duplicates: 1 });

    // Nothing withdrawn yet: a person decides; the customer's page says the reply waits.
    await page.reload();
    await expect(whatsapp('transactional')).toContainText('Granted');
    await expect(page.getByTestId('whatsapp-signals')).toContainText('“Nie piszcie do mnie więcej” waits in the review queue.');

    await page.goto('/');
    await page.getByTestId('overview-replies').click();
    await expect(page).toHaveURL(/\/replies$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Replies to review' })).toBeVisible();
    const entry = page.locator(`tr[data-message-id="${wamid}"]`);
    await expect(entry).toHaveCount(1);
    await expect(entry).toContainText('Nie piszcie do mnie więcej');
    await expect(entry).toContainText('Flagged for “Nie piszcie”');
    await expect(entry.getByRole('link', { name })).toHaveAttribute('href', new URL(customerUrl).pathname);

    await entry.getByRole('button', { name: 'Withdraw all WhatsApp' }).click();
    await expect(page).toHaveURL(/\/replies\?decided=withdraw_all$/);
    await expect(page.getByText('All WhatsApp messages withdrawn, with the reply as evidence.')).toBeVisible();
    await expect(page.locator(`tr[data-message-id="${wamid}"]`)).toHaveCount(0);

    await page.goto(customerUrl);
    await expect(whatsapp('marketing')).toContainText('Withdrawn');
    await expect(whatsapp('transactional')).toContainText('Withdrawn');
    const timeline = page.getByTestId('consent-timeline');
    await expect(timeline).toContainText('whatsapp_reply');
    await expect(timeline).toContainText('Nie piszcie do mnie więcej');
    await expect(timeline).toContainText(wamid);
    await expect(page.getByTestId('whatsapp-signals')).toHaveCount(0);
  });
});

test.describe('replies to review as manager', () => {
  test.use({ storageState: storageState('manager') });

  test('reads the queue without the decisions', async ({ page, request }) => {
    const wamid = `wamid.${randomBytes(12).toString('hex').toUpperCase()}`;
    const body = JSON.stringify(
      inboundMessage('+4915790001234', { type: 'text', text: 'Woher haben Sie meine Nummer?' }, { id: wamid, at: new Date() }),
    );
    const answer = await request.post('/api/webhooks/whatsapp', {
      data: body,
      headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signBody(body, APP_SECRET) },
    });
    expect(await answer.json()).toMatchObject({ queued: 1 });
    await page.goto('/replies');
    await expect(page.locator(`tr[data-message-id="${wamid}"]`)).toContainText('No customer has this phone');
    await expect(page.getByRole('heading', { level: 1, name: 'Replies to review' })).toBeVisible();
    await expect(page.getByText('Managers can read this queue; support, sellers and admins decide.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Withdraw all WhatsApp' })).toHaveCount(0);
  });
});
