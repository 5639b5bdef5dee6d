// The WhatsApp connection against a fake Graph API started here (the server under test reaches it on loopback):
// settings with a token never shown again, the connection check naming what is wrong, and a template submitted to
// Meta from an approved draft with its review status read back.
import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import type { FakeGraph } from '../lib/whatsapp/fake-graph';
import { startFakeGraph } from '../lib/whatsapp/fake-graph';
import { signBody } from '../lib/whatsapp/signature';
import { storageState, unique } from './fixtures';

let fake: FakeGraph;

test.beforeAll(async () => {
  fake = await startFakeGraph();
});
test.afterAll(async () => {
  await fake?.close();
});

// One connection setting for the whole installation: the steps run in order.
test.describe.configure({ mode: 'serial' });

async function fillConnection(page: Page, values: { phone?: string; account?: string; token?: string }) {
  await page.getByLabel('Phone number id').fill(values.phone ?? fake.control.phoneNumberId);
  await page.getByLabel('WhatsApp Business account id').fill(values.account ?? fake.control.businessAccountId);
  await page.getByLabel(/access token/i).fill(values.token ?? '');
  await page.getByLabel('Graph API address').fill(fake.url);
  await page.getByLabel('Graph API version').fill('v25.0');
}

test('an admin connects WhatsApp: wrong values are named, the token is kept sealed', async ({ browser }) => {
  // Eight round trips through the server and, for most, to the fake: more than one page's budget on a busy machine.
  test.slow();
  const page = await (await browser.newContext({ storageState: storageState('admin') })).newPage();
  await page.goto('/settings/whatsapp');
  const save = page.getByRole('form', { name: 'WhatsApp Cloud API' }).getByRole('button', { name: 'Save' });
  await expect(page.getByRole('heading', { name: 'WhatsApp Cloud API' })).toBeVisible();

  await page.getByLabel('Phone number id').fill('12ab');
  await page.getByLabel('Graph API version').fill('latest');
  await save.click();
  await expect(page.locator('#wa-phone-error')).toHaveText('Digits only, as Meta shows it (at least 5).');
  await expect(page.locator('#wa-version-error')).toHaveText('A version such as v25.0.');
  await expect(page.getByLabel('Phone number id')).toHaveAttribute('aria-invalid', 'true');

  // A token Meta refuses: the check says so before anything is saved.
  await fillConnection(page, { token: 'EAAG-a-token-meta-does-not-know-9z9z' });
  await page.getByRole('button', { name: 'Check connection' }).click();
  await expect(page.getByTestId('check-result')).toContainText('Meta refuses the access token (error 190)');

  await fillConnection(page, { token: fake.control.token });
  await save.click();
  await expect(page.getByText('Saved with the new access token.')).toBeVisible();
  await expect(page.getByLabel(/access token/i)).toHaveValue('');
  await page.reload();
  const end = fake.control.token.slice(-4);
  await expect(page.getByTestId('token-saved')).toContainText(`ends in …${end}`);
  await expect(page.getByLabel('Replace the access token')).toHaveValue('');
  expect(await page.content()).not.toContain(fake.control.token);

  await page.getByRole('button', { name: 'Check connection' }).click();
  await expect(page.getByTestId('check-result')).toContainText('Connected: +1 555-000-1234 (Zgoda Test Shop), quality rating GREEN');

  await page.getByLabel('Phone number id').fill('1234567');
  await page.getByRole('button', { name: 'Check connection' }).click();
  await expect(page.getByTestId('check-result')).toContainText('Meta knows no phone number with this id for this token');
  await page.getByLabel('Phone number id').fill(fake.control.phoneNumberId);

  await page.getByLabel('Graph API address').fill('http://127.0.0.1:9');
  await page.getByRole('button', { name: 'Check connection' }).click();
  await expect(page.getByTestId('check-result')).toContainText('No answer from http://127.0.0.1:9');

  // Saved again without a token: the sealed one stays.
  await page.getByLabel('Graph API address').fill(fake.url);
  await save.click();
  await expect(page.getByText('Saved. The token was not changed.')).toBeVisible();
  await page.context().close();
});

test('a seller submits an approved draft to Meta and follows its review', async ({ browser }) => {
  test.slow();
  const seller = await (await browser.newContext({ storageState: storageState('seller') })).newPage();
  const name = unique('order_ready').replace(/-/g, '_');
  await seller.goto('/messages/new');
  const form = seller.getByRole('form', { name: 'Message draft' });
  await form.getByLabel('Name', { exact: true }).fill(name);
  await form.getByLabel('Language').selectOption('en');
  await form.getByLabel('Body').fill('Hello {{1}}, your order is ready for pickup at our shop. Thank you for shopping with us.');
  await form.getByLabel('Example for {{1}}').fill('Anna');
  await seller.getByRole('button', { name: 'Save draft' }).click();
  await expect(seller).toHaveURL(/\/messages\/\d+$/);
  const draftUrl = seller.url();
  const panel = seller.getByTestId('meta-template');
  await expect(panel).toContainText('Not submitted to Meta yet');
  await expect(panel.getByRole('button', { name: 'Submit to Meta' })).toHaveCount(0);
  await seller.getByRole('button', { name: 'Submit for approval' }).click();
  await expect(seller.getByText("Waiting for a manager's approval.")).toBeVisible();

  const managerContext = await browser.newContext({ storageState: storageState('manager') });
  const manager = await managerContext.newPage();
  await manager.goto(draftUrl);
  await manager.getByRole('button', { name: 'Approve' }).click();
  await expect(manager.getByText('Approved: it may be exported.')).toBeVisible();
  // Managers read Meta's status but do not submit.
  await expect(manager.getByTestId('meta-template').getByRole('button')).toHaveCount(0);
  await managerContext.close();

  await seller.reload();
  await panel.getByRole('button', { name: 'Submit to Meta' }).click();
  await expect(panel.getByText('In review at Meta')).toBeVisible();
  const submitted = fake.control.templates.get(`${name}\u0000en`);
  expect(submitted).toMatchObject({ status: 'PENDING', category: 'UTILITY' });

  fake.control.setTemplateStatus(name, 'en', 'REJECTED', 'INVALID_FORMAT');
  await panel.getByRole('button', { name: 'Refresh status' }).click();
  await expect(panel.getByText('Rejected by Meta', { exact: true })).toBeVisible();
  await expect(panel).toContainText('Reason given by Meta: INVALID_FORMAT');

  await panel.getByRole('button', { name: 'Submit to Meta again' }).click();
  await expect(panel.getByText('In review at Meta')).toBeVisible();
  expect(fake.control.templates.size).toBe(1);

  // Meta refusing the call: its words reach the seller, nothing changes.
  const token = fake.control.token;
  fake.control.token = 'rotated-at-meta-0000000000';
  await panel.getByRole('button', { name: 'Refresh status' }).click();
  await expect(panel.getByRole('alert')).toContainText('Meta refused (error 190): Invalid OAuth access token');
  fake.control.token = token;

  fake.control.setTemplateStatus(name, 'en', 'APPROVED');
  await panel.getByRole('button', { name: 'Refresh status' }).click();
  await expect(panel.getByText('Approved by Meta', { exact: true })).toBeVisible();
  await expect(panel).toContainText(`Meta template id ${submitted!.id}`);

  await seller.goto('/messages');
  await expect(seller.locator(`tr[data-draft="${name}"]`)).toContainText('Approved by Meta');
  await seller.goto(draftUrl);
  // Submitted twice (after Meta's rejection): the draft's history shows both.
  await expect(seller.getByText('submitted to Meta')).toHaveCount(2);
  await seller.context().close();
});

test('delivery statuses in a webhook reach the campaign recipients, a repeat changes nothing', async ({ request }) => {
  const body = JSON.stringify({
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
              statuses: [
                {
                  id: `wamid.${unique('e2e')}`,
                  status: 'delivered',
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  recipient_id: '48600999001',
                },
              ],
            },
          },
        ],
      },
    ],
  });
  const post = () =>
    request.post('/api/webhooks/whatsapp', {
      headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signBody(body, 'e2e-whatsapp-app-secret') },
      data: body,
    });
  for (let i = 0; i < 2; i++) {
    const response = await post();
    expect(response.status()).toBe(200);
    expect(await response.json()).toMatchObject({ statuses: { updated: 0, unknown: 1 } });
  }
});
