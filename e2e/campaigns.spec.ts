// A marketing campaign sent through WhatsApp against a fake Graph API started here (the server under test reaches it
// on loopback, and the fake posts delivery statuses back to the server's webhook): the connection and the sending
// settings made in the pages, a draft approved at Zgoda and at Meta, sent, its progress followed to the end, a 131050
// answer become a withdrawal on the customer's timeline, and the campaign's opt-out rate on the monitor.
import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import type { FakeGraph } from '../lib/whatsapp/fake-graph';
import { startFakeGraph } from '../lib/whatsapp/fake-graph';
import { signBody } from '../lib/whatsapp/signature';
import { expectNoA11yViolations } from './axe';
import { storageState, unique } from './fixtures';

const APP_SECRET = 'e2e-whatsapp-app-secret';
const PORT = Number(process.env.E2E_PORT ?? 3100);

let fake: FakeGraph;

test.beforeAll(async () => {
  fake = await startFakeGraph({ appSecret: APP_SECRET, webhookUrl: `http://localhost:${PORT}/api/webhooks/whatsapp`, statusDelayMs: 50 });
});
test.afterAll(async () => {
  await fake?.close();
});

/** The first customers the draft may reach in PL, as the customer list shows them: id and phone digits. */
type Customer = { href: string; digits: string };

async function allowedCustomers(page: Page, count: number): Promise<Customer[]> {
  await page.goto('/customers?market=PL&channel=whatsapp&purpose=marketing&decision=allowed');
  await expect(page.getByRole('columnheader', { name: 'Phone' })).toBeVisible();
  const headers = (await page.locator('thead th').allTextContents()).map((h) => h.trim());
  const phoneColumn = headers.indexOf('Phone');
  expect(phoneColumn).toBeGreaterThan(-1);
  const rows = page.locator('tbody tr');
  const found: Customer[] = [];
  for (let i = 0; found.length < count && i < (await rows.count()); i++) {
    const digits = (await rows.nth(i).locator('td').nth(phoneColumn).innerText()).replace(/\D/g, '');
    const href = await rows.nth(i).getByRole('link').first().getAttribute('href');
    if (digits && href) found.push({ href, digits });
  }
  expect(found).toHaveLength(count);
  return found;
}

/** A reply of the customer through the WhatsApp webhook, signed as Meta signs it. */
function inboundText(from: string, text: string) {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: fake.control.businessAccountId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { phone_number_id: fake.control.phoneNumberId },
              contacts: [{ wa_id: from, profile: { name: 'Customer' } }],
              messages: [
                { from, id: `wamid.${unique('in')}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } },
              ],
            },
          },
        ],
      },
    ],
  });
}

test('a marketing draft is sent through WhatsApp to the end, a 131050 becomes a withdrawal, the monitor shows the rate', async ({
  browser,
}) => {
  test.setTimeout(240_000);

  // The admin connects WhatsApp to the fake and lets marketing go out at any hour (the spec runs at any hour).
  const admin = await (await browser.newContext({ storageState: storageState('admin') })).newPage();
  await admin.goto('/settings/whatsapp');
  await admin.getByLabel('Phone number id').fill(fake.control.phoneNumberId);
  await admin.getByLabel('WhatsApp Business account id').fill(fake.control.businessAccountId);
  await admin.getByLabel(/access token/i).fill(fake.control.token);
  await admin.getByLabel('Graph API address').fill(fake.url);
  await admin.getByLabel('Graph API version').fill('v25.0');
  const sending = admin.getByRole('form', { name: 'Campaign sending' });
  await admin.getByRole('form', { name: 'WhatsApp Cloud API' }).getByRole('button', { name: 'Save' }).click();
  await expect(admin.getByText(/^Saved/).first()).toBeVisible();
  await sending.getByLabel('Quiet hours from').fill('00:00');
  await sending.getByLabel('until').fill('00:00');
  await sending.getByLabel(/Quiet hours per market/).fill('');
  await sending.getByRole('button', { name: 'Save' }).click();
  await expect(sending.getByText('Saved.', { exact: true })).toBeVisible();

  // Two recipients chosen before the send: Meta answers 131050 for the first; the second replies STOP later.
  const [stopped, replier] = (await allowedCustomers(admin, 2)) as [Customer, Customer];
  fake.control.failNumber(stopped.digits, 131050);

  const seller = await (await browser.newContext({ storageState: storageState('seller') })).newPage();
  const name = unique('autumn_sale').replace(/-/g, '_');
  await seller.goto('/messages/new');
  const form = seller.getByRole('form', { name: 'Message draft' });
  await form.getByLabel('Name', { exact: true }).fill(name);
  await form.getByLabel('Category').selectOption('marketing');
  await form.getByLabel('Language').selectOption('pl');
  await form.getByLabel('Body').fill('Cześć {{1}}, w sklepie Kwiatek zaczyna się jesienna wyprzedaż. Zapraszamy!');
  await form.getByLabel('Example for {{1}}').fill('Anna');
  await form.getByLabel('Value of {{1}}').selectOption('first_name');
  await seller.getByRole('button', { name: 'Add "Odpisz STOP, aby zrezygnować" as footer' }).click();
  await form.getByLabel('Shop name').fill('Kwiatek');
  await seller.getByRole('checkbox', { name: 'PL', exact: true }).check();
  await seller.getByRole('button', { name: 'Save draft' }).click();
  await expect(seller).toHaveURL(/\/messages\/\d+$/);
  const draftUrl = seller.url();
  await seller.getByRole('button', { name: 'Submit for approval' }).click();
  await expect(seller.getByText("Waiting for a manager's approval.")).toBeVisible();

  const managerContext = await browser.newContext({ storageState: storageState('manager') });
  const manager = await managerContext.newPage();
  await manager.goto(draftUrl);
  await manager.getByRole('button', { name: 'Approve' }).click();
  await expect(manager.getByText('Approved: it may be exported.')).toBeVisible();

  // Meta's review: not approved yet, the send is refused and nothing is queued.
  await seller.reload();
  const panel = seller.getByTestId('meta-template');
  await panel.getByRole('button', { name: 'Submit to Meta' }).click();
  await expect(panel.getByText('In review at Meta')).toBeVisible();
  const sendForm = seller.getByTestId('send-campaign');
  await sendForm.getByLabel('Messages per second').fill('0');
  await sendForm.getByRole('button', { name: 'Send through WhatsApp' }).click();
  await expect(sendForm.getByRole('alert')).toContainText('Meta has not approved this template (status PENDING)');
  fake.control.setTemplateStatus(name, 'pl', 'APPROVED');
  await panel.getByRole('button', { name: 'Refresh status' }).click();
  await expect(panel.getByText('Approved by Meta', { exact: true })).toBeVisible();

  await sendForm.getByLabel('Messages per second').fill('0');
  await sendForm.getByRole('button', { name: 'Send through WhatsApp' }).click();
  await expect(seller).toHaveURL(/\/messages\/campaigns\/\d+$/, { timeout: 30_000 });
  const campaignUrl = seller.url();

  // The page reloads itself while the campaign runs: the bar reaches the end without a hand reload.
  await expect(seller.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100', { timeout: 120_000 });
  await expect(seller.getByTestId('campaign-status')).toHaveText('Completed', { timeout: 30_000 });
  await expect(seller.getByTestId('count-failed')).toHaveText('1');
  await expect(seller.getByTestId('campaign-reasons')).toContainText(
    'Failed · Stopped marketing messages in WhatsApp (131050): withdrawal recorded: 1',
  );
  await expect(seller.getByTestId('count-queued')).toHaveText('0');
  const calls = fake.control.messages.filter((c) => c.template === name);
  const total = Number(
    ((await seller.getByRole('progressbar').getAttribute('aria-label')) ?? '').match(/of ([\d,]+)/)![1]!.replace(/,/g, ''),
  );
  const skipped = Number((await seller.getByTestId('count-skipped').innerText()).replace(/\D/g, ''));
  // Every recipient not skipped was called exactly once.
  expect(calls.length).toBe(total - skipped);
  expect(new Set(calls.map((c) => c.to)).size).toBe(calls.length);

  // The fake posts the deliveries back; the page shows them once they arrive.
  await fake.control.flushWebhooks();
  expect(fake.control.webhookFailures).toBe(0);
  expect(fake.control.webhookPosts).toBeGreaterThan(0);
  await seller.reload();
  await expect(seller.getByTestId('count-delivered')).not.toHaveText('0');

  // The 131050 on the customer's timeline: a WhatsApp marketing withdrawal with the error as evidence.
  await seller.goto(stopped.href);
  const timeline = seller.getByTestId('consent-timeline');
  await expect(timeline.locator('li').last()).toContainText('WhatsApp');
  await expect(timeline.locator('li').last()).toContainText('Marketing');
  await expect(timeline.locator('li').last()).toContainText('Source: whatsapp_send_error');
  await expect(timeline.locator('li').last()).toContainText('131050');

  // A delivered recipient replies STOP: an opt-out within 7 days of the message, counted by the monitor.
  const body = inboundText(replier.digits, 'STOP');
  const answer = await seller.request.post('/api/webhooks/whatsapp', {
    headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signBody(body, APP_SECRET) },
    data: body,
  });
  expect(answer.status()).toBe(200);

  await manager.goto('/monitor');
  const campaigns = manager.locator('#campaigns');
  await campaigns.getByText('Show as table').click();
  const row = campaigns.locator('tr', { hasText: name });
  await expect(row).toBeVisible();
  // The campaign's name heads the row; the cells are: sent, delivered recipients, opt-outs, rate, complaints.
  const cells = await row.locator('td').allInnerTexts();
  const delivered = Number(cells[1]!.replace(/\D/g, ''));
  expect(delivered).toBeGreaterThan(0);
  expect(cells[2]!.trim()).toBe('1');
  expect(cells[3]).toMatch(/%$/);
  expect(cells[3]).not.toMatch(/^0(\.0+)?\s?%$/);

  await seller.goto(campaignUrl);
  await expect(seller.getByTestId('campaign-status')).toHaveText('Completed');
  await expectNoA11yViolations(seller, 'the campaign page');
  await managerContext.close();
  await admin.context().close();
  await seller.context().close();
});
