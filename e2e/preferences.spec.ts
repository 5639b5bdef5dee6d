// The customer's own pages: the preference centre opened from a customer's link on a phone, and the one-click
// unsubscribe a mail client posts. What the customer did shows on the customer's page in the dashboard.
import type { Browser, Page } from '@playwright/test';
import { expect, request, test } from '@playwright/test';
import { expectNoA11yViolations } from './axe';
import { storageState } from './fixtures';

const PHONE = { width: 390, height: 844 };

/** A customer page as support sees it, found by a filter, with the customer's own links on it. */
async function customerWithLinks(page: Page, filter: string): Promise<{ url: string; preferences: string; unsubscribe: string }> {
  await page.goto(`/customers?${filter}`);
  await page.locator('tbody a').first().click();
  await expect(page).toHaveURL(/\/customers\/\d+$/);
  const preferences = await page.getByTestId('link-preferences').inputValue();
  const unsubscribe = await page.getByTestId('link-unsubscribe').inputValue();
  expect(preferences).toMatch(/\/p\/[\w-]+\.[\w-]+$/);
  expect(unsubscribe).toMatch(/\/u\/[\w-]+\.[\w-]+$/);
  return { url: page.url(), preferences, unsubscribe };
}

/** A browser of the customer's own: a phone, no cookies of anyone's. */
async function customerPhone(browser: Browser, locale: string): Promise<Page> {
  const context = await browser.newContext({ viewport: PHONE, locale, isMobile: true, hasTouch: true });
  return context.newPage();
}

test.describe('preference centre', () => {
  test.use({ storageState: storageState('support') });

  test('a customer withdraws one choice and grants another on a phone; the ledger shows both', async ({ page, browser }) => {
    const customer = await customerWithLinks(page, 'market=PL&channel=email&purpose=marketing&reason=consent');
    const phone = await customerPhone(browser, 'pl-PL');
    await phone.goto(customer.preferences);
    await expect(phone.getByRole('heading', { level: 1 })).toHaveText('Państwa ustawienia komunikacji');
    // Contact data is masked: an address shows its first letter and top-level domain only.
    await expect(phone.getByText(/^.•••.?@.•••\.\w+$/)).toBeVisible();
    await expectNoA11yViolations(phone, 'preference centre (pl, phone)');

    const email = phone.getByTestId('choice-email-marketing');
    await expect(email).toHaveAttribute('data-shown', 'on');
    await email.getByRole('button', { name: /Wyłącz/ }).click();
    await expect(email.getByRole('status')).toHaveText('Zapisano: Oferty i nowości (E-mail) – wyłączone.');
    await expect(email).toHaveAttribute('data-shown', 'off');
    await expect(email.getByTestId('wording')).toContainText('Tak, chcę otrzymywać oferty i nowości e-mailem.');

    // Something the customer does not receive yet: a grant with the sentence shown beside it.
    const off = phone.locator('li[data-shown="off"]:not([data-testid="choice-email-marketing"])').first();
    const testId = await off.getAttribute('data-testid');
    const sentence = (await off.getByTestId('wording').innerText()).trim();
    await off.getByRole('button', { name: /Wyrażam zgodę/ }).click();
    const granted = phone.getByTestId(testId!);
    await expect(granted.getByRole('status')).toContainText('Dziękujemy');
    await expect(granted).toHaveAttribute('data-shown', 'on');
    await expectNoA11yViolations(phone, 'preference centre after changes');

    await page.goto(customer.url);
    const [, channel, purpose] = testId!.split('-');
    const grid = page.getByTestId('consent-grid');
    await expect(grid.locator('tr[data-channel="email"] td[data-purpose="marketing"]')).toContainText('Withdrawn');
    await expect(grid.locator(`tr[data-channel="${channel}"] td[data-purpose="${purpose}"]`)).toContainText('Granted');
    const timeline = page.getByTestId('consent-timeline');
    await expect(timeline).toContainText('preference_centre');
    await expect(timeline).toContainText(sentence);
  });

  test('a German customer grants e-mail marketing and waits for the confirmation', async ({ page, browser }) => {
    const customer = await customerWithLinks(page, 'market=DE&channel=email&purpose=marketing&reason=no_consent');
    const phone = await customerPhone(browser, 'de-DE');
    await phone.goto(customer.preferences);
    const email = phone.getByTestId('choice-email-marketing');
    await expect(email).toHaveAttribute('data-shown', 'off');
    await expect(email).toContainText('Wir bitten Sie, dies per E-Mail zu bestätigen');
    await email.getByRole('button', { name: /Ich willige ein/ }).click();
    await expect(email.getByRole('status')).toContainText('Fast geschafft');
    await expect(email).toHaveAttribute('data-shown', 'pending');
    await expect(email).toContainText('Wartet auf Ihre Bestätigung');

    await page.goto(customer.url);
    await expect(page.getByTestId('consent-grid').locator('tr[data-channel="email"] td[data-purpose="marketing"]')).toContainText(
      'Pending confirmation',
    );
  });

  test('a changed, forged or unknown link gets a page that says so, in the browser language, and changes nothing', async ({
    page,
    browser,
  }) => {
    const customer = await customerWithLinks(page, 'market=FR&channel=email&purpose=marketing&reason=consent');
    const phone = await customerPhone(browser, 'fr-FR');
    const [payload, mac] = customer.preferences.split('/p/')[1]!.split('.');
    for (const bad of [`${payload}.${mac!.slice(0, -2)}xx`, 'not-a-token', customer.unsubscribe.split('/u/')[1]!]) {
      await phone.goto(`/p/${bad}`);
      await expect(phone.getByTestId('public-message')).toHaveAttribute('data-kind', 'linkInvalid');
      await expect(phone.getByRole('heading', { level: 1 })).toHaveText('Ce lien ne fonctionne pas');
    }
    await expectNoA11yViolations(phone, 'invalid preference link (fr)');
  });
});

test.describe('one-click unsubscribe', () => {
  test.use({ storageState: storageState('seller') });

  test('a mail client posts List-Unsubscribe=One-Click: withdrawn at once, a repeat is harmless, a wrong body or link is refused', async ({
    page,
    baseURL,
    browser,
  }) => {
    // A mail client's posts, two reloads of the customer page and the customer's own browser: a slow test's time.
    test.slow();
    const customer = await customerWithLinks(page, 'market=NL&channel=email&purpose=marketing&reason=consent');
    const path = new URL(customer.unsubscribe).pathname;
    // A mail provider's server: no cookies, no CSRF token, no page.
    const mailClient = await request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
    const oneClick = { 'List-Unsubscribe': 'One-Click' };

    const wrong = await mailClient.post(path, { form: { 'List-Unsubscribe': 'Yes' }, maxRedirects: 0 });
    expect(wrong.status()).toBe(400);
    const json = await mailClient.post(path, { data: oneClick, maxRedirects: 0 });
    expect(json.status()).toBe(400);
    const forged = await mailClient.post(`${path.slice(0, -3)}abc`, { form: oneClick, maxRedirects: 0 });
    expect(forged.status()).toBe(400);
    await page.reload();
    await expect(page.getByTestId('consent-grid').locator('tr[data-channel="email"] td[data-purpose="marketing"]')).toContainText(
      'Granted',
    );

    const first = await mailClient.post(path, { form: oneClick, maxRedirects: 0 });
    expect(first.status()).toBe(200);
    const again = await mailClient.post(path, { form: oneClick, maxRedirects: 0 });
    expect(again.status()).toBe(200);
    await mailClient.dispose();

    await page.reload();
    await expect(page.getByTestId('consent-grid').locator('tr[data-channel="email"] td[data-purpose="marketing"]')).toContainText(
      'Withdrawn',
    );
    const timeline = page.getByTestId('consent-timeline');
    await expect(timeline).toContainText('unsubscribe_link');

    // The same link opened in a browser says it is done, and offers the way to every other choice.
    const phone = await customerPhone(browser, 'nl-NL');
    await phone.goto(customer.unsubscribe);
    await expect(phone.getByTestId('unsubscribed')).toHaveText('U bent al afgemeld voor aanbiedingen en nieuws per e-mail.');
    await expectNoA11yViolations(phone, 'unsubscribe page, done (nl)');
  });

  test('the unsubscribe page has one button, and opening it changes nothing', async ({ page, browser }) => {
    const customer = await customerWithLinks(page, 'market=IT&channel=email&purpose=marketing&reason=consent');
    const phone = await customerPhone(browser, 'it-IT');
    await phone.goto(customer.unsubscribe);
    await expect(phone.getByRole('heading', { level: 1 })).toHaveText('Annulla l’iscrizione alle e-mail promozionali');
    await expectNoA11yViolations(phone, 'unsubscribe page (it)');
    await page.reload();
    await expect(page.getByTestId('consent-grid').locator('tr[data-channel="email"] td[data-purpose="marketing"]')).toContainText(
      'Granted',
    );

    await phone.getByRole('button', { name: 'Annulla l’iscrizione' }).click();
    await expect(phone.getByRole('status')).toHaveText('Iscrizione annullata. Non riceverà più offerte né novità via e-mail.');
    await page.reload();
    await expect(page.getByTestId('consent-grid').locator('tr[data-channel="email"] td[data-purpose="marketing"]')).toContainText(
      'Withdrawn',
    );
  });
});
