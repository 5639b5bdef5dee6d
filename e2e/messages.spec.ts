import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { storageState, unique } from './fixtures';

const templateName = (prefix: string) => unique(prefix).replace(/-/g, '_');

test.describe('message drafts', () => {
  test.use({ storageState: storageState('seller') });

  test('a transactional draft is flagged by a coupon line until the line goes', async ({ page }) => {
    await page.goto('/messages');
    await page.getByRole('link', { name: 'New draft' }).click();
    const form = page.getByRole('form', { name: 'Message draft' });
    await form.getByLabel('Name', { exact: true }).fill(templateName('order_shipped'));
    await form.getByLabel('Language').selectOption('en');
    await form
      .getByLabel('Body')
      .fill('Hello {{1}}, your order has shipped and arrives tomorrow. Use code SAVE10 for 10% off your next order!');
    await form.getByLabel('Example for {{1}}').fill('Anna');

    const checks = page.getByTestId('checks');
    await expect(checks).toContainText(
      'This is marketing, not transactional: it contains promotional wording (Use code, 10%, off your next)',
    );
    await expect(page.getByTestId('chat-preview').locator('mark')).toHaveText(['Use code', '10%', 'off your next']);
    await expect(page.getByTestId('chat-preview')).toContainText('Hello Anna, your order has shipped');

    await form.getByLabel('Body').fill('Hello {{1}}, your order has shipped and arrives tomorrow. Thank you for shopping with us.');
    await expect(checks).toContainText('All checks pass.');
    await expect(page.getByTestId('chat-preview').locator('mark')).toHaveCount(0);
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect(page).toHaveURL(/\/messages\/\d+$/);
    await page.getByRole('button', { name: 'Submit for approval' }).click();
    await expect(page.getByText("Waiting for a manager's approval.")).toBeVisible();
  });

  test('a marketing draft gets its way out, is approved by a manager and exported to exactly its audience', async ({ page, browser }) => {
    // Two signed-in sessions, a customer list and a download: longer than one page's budget on a busy machine.
    test.slow();
    const name = templateName('spring_sale');
    await page.goto('/messages/new');
    const form = page.getByRole('form', { name: 'Message draft' });
    await form.getByLabel('Name', { exact: true }).fill(name);
    await form.getByLabel('Category').selectOption('marketing');
    await form.getByLabel('Language').selectOption('pl');
    await form.getByLabel('Body').fill('Cześć {{1}}, w sklepie Kwiatek zaczyna się wiosenna wyprzedaż. Zapraszamy!');
    await form.getByLabel('Example for {{1}}').fill('Anna');
    await form.getByLabel('Value of {{1}}').selectOption('first_name');

    const checks = page.getByTestId('checks');
    await expect(checks).toContainText('A marketing message must offer a way out');
    await expect(checks).toContainText('Fill in the shop name');
    await page.getByRole('button', { name: 'Add "Odpisz STOP, aby zrezygnować" as footer' }).click();
    await expect(form.getByLabel('Footer (optional)')).toHaveValue('Odpisz STOP, aby zrezygnować');
    await form.getByLabel('Shop name').fill('Kwiatek');
    await expect(checks).toContainText('All checks pass.');
    await page.getByRole('checkbox', { name: 'PL', exact: true }).check();
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect(page).toHaveURL(/\/messages\/\d+$/);
    const draftUrl = page.url();

    // The audience: customers of PL only, those it may reach linked to the customer list.
    const reach = page.locator('tr[data-market="PL"] td').nth(2);
    const count = Number((await reach.innerText()).replace(/\D/g, ''));
    expect(count).toBeGreaterThan(0);
    await expect(page.locator('tr[data-market="DE"]')).toHaveCount(0);
    await reach.getByRole('link').click();
    await expect(page).toHaveURL(/\/customers\?market=PL&channel=whatsapp&purpose=marketing&decision=allowed$/);
    await expect(page.getByTestId('customer-count')).toContainText(count.toLocaleString('en'));
    const withdrawn = await page.request.get(`/customers?market=PL&channel=whatsapp&purpose=marketing&reason=withdrawn`);
    expect(await withdrawn.text()).toContain('Only customers decided for this reason: withdrawn');
    await page.goto(draftUrl);

    await page.getByRole('button', { name: 'Submit for approval' }).click();
    await expect(page.getByText("Waiting for a manager's approval.")).toBeVisible();
    await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);

    const managerContext = await browser.newContext({ storageState: storageState('manager') });
    const manager = await managerContext.newPage();
    await manager.goto(draftUrl);
    await expect(manager.getByRole('button', { name: 'Save draft' })).toHaveCount(0);
    const refused = await manager.request.post(`${draftUrl}/export`, { headers: { Origin: new URL(draftUrl).origin }, maxRedirects: 0 });
    expect(refused.status()).toBe(403);
    await manager.getByLabel('Comment (optional)').fill('Fine for the spring campaign');
    await manager.getByRole('button', { name: 'Approve' }).click();
    await expect(manager.getByText('Approved: it may be exported.')).toBeVisible();
    await managerContext.close();

    await page.reload();
    const exportButton = page.getByRole('button', { name: /^Export to [\d,]+ recipients?$/ });
    await expect(exportButton).toBeVisible();
    const [download] = await Promise.all([page.waitForEvent('download'), exportButton.click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^${name}-\\d+\\.jsonl$`));
    const lines = fs
      .readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.length).toBe(count);
    for (const line of lines) {
      expect(line).toMatchObject({ messaging_product: 'whatsapp', type: 'template', template: { name, language: { code: 'pl' } } });
      expect(line.to).toMatch(/^48\d+$/);
    }

    await page.goto(draftUrl);
    await expect(page.getByText('Exported: sent to WhatsApp as a campaign.')).toBeVisible();
    await expect(page.getByTestId('campaigns')).toContainText(`${count.toLocaleString('en')} recipient`);
    // The campaign's file again, as a lost download would need it: the same recipients in the same order.
    const [again] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /^Download the file of campaign #\d+ again$/ }).click(),
    ]);
    expect(again.suggestedFilename()).toBe(download.suggestedFilename());
    const againTo = fs
      .readFileSync((await again.path())!, 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { to: string }).to);
    expect(againTo).toEqual(lines.map((l) => l.to));
    const managerAgain = await browser.newContext({ storageState: storageState('manager') });
    expect((await managerAgain.request.get(`${draftUrl}/export`)).status()).toBe(403);
    await managerAgain.close();
    const template = await page.request.get(`${draftUrl}/template.json`);
    expect(await template.json()).toMatchObject({ name, category: 'MARKETING', language: 'pl' });
  });
});
