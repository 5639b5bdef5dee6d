import type { APIResponse, Page } from '@playwright/test';
import { expect, request, test } from '@playwright/test';
import { DEMO_PASSWORD, ROLE_USERS, signIn, storageState, unique } from './fixtures';

const nonceOf = (response: APIResponse) => /'nonce-([A-Za-z0-9+/=]+)'/.exec(response.headers()['content-security-policy'] ?? '')?.[1];

/** Every CSP violation the page reports, as console errors and as events (caught before any script of the page). */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.exposeFunction('reportViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { reportViolation: (t: string) => void }).reportViolation(
        `${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} on ${location.pathname}`,
      );
    });
  });
  return violations;
}

test.describe('security headers', () => {
  test('every page kind has a CSP whose nonce is new each time, and the page scripts carry it', async ({ baseURL }) => {
    const seller = await request.newContext({ baseURL, storageState: storageState('seller') });
    const anonymous = await request.newContext({ baseURL });
    const pages: [typeof seller, string, number][] = [
      [anonymous, '/sign-in', 200],
      [anonymous, '/reset-password', 200],
      [seller, '/', 200],
      [seller, '/customers', 200],
      [seller, '/monitor', 200],
      [seller, '/no-such-page', 404],
      [seller, '/api/no-such-route', 404],
      [seller, '/customers/import/upload/no-such-page', 404],
    ];
    for (const [context, path, status] of pages) {
      const first = await context.get(path);
      const second = await context.get(path);
      expect(first.status(), path).toBe(status);
      const headers = first.headers();
      const csp = headers['content-security-policy'] ?? '';
      for (const directive of [
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "'strict-dynamic'",
      ]) {
        expect(csp, `${path}: ${directive}`).toContain(directive);
      }
      expect(csp, path).not.toContain("'unsafe-eval'");
      expect(headers['x-content-type-options'], path).toBe('nosniff');
      expect(headers['referrer-policy'], path).toBe('strict-origin-when-cross-origin');
      expect(headers['x-request-id'], path).toMatch(/^[0-9a-f-]{36}$/);
      const nonce = nonceOf(first);
      expect(nonce, path).toBeTruthy();
      expect(nonceOf(second), path).not.toBe(nonce);
      const scripts = [...(await first.text()).matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length, path).toBeGreaterThan(0);
      for (const script of scripts) expect(script, path).toContain(`nonce="${nonce}"`);
    }
    await seller.dispose();
    await anonymous.dispose();
  });

  test("keeps a reverse proxy's request id and replaces one that is not an id", async ({ request: api }) => {
    const kept = await api.get('/sign-in', { headers: { 'X-Request-Id': '0123456789abcdef0123456789abcdef' } });
    expect(kept.headers()['x-request-id']).toBe('0123456789abcdef0123456789abcdef');
    const replaced = await api.get('/sign-in', { headers: { 'X-Request-Id': 'not an id; <script>' } });
    expect(replaced.headers()['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  // The e2e server runs with TRUSTED_PROXY=true; without it X-Forwarded-Proto counts for nothing (unit-tested).
  test('HSTS and secure cookies only when the trusted proxy says the browser came over TLS', async ({ request: api }) => {
    const https = await api.get('/sign-in', { headers: { 'X-Forwarded-Proto': 'https' } });
    expect(https.headers()['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
    expect(https.headers()['content-security-policy']).toContain('upgrade-insecure-requests');
    for (const proto of [undefined, 'http']) {
      const plain = await api.get('/sign-in', { headers: proto ? { 'X-Forwarded-Proto': proto } : {} });
      expect(plain.headers()['strict-transport-security'], String(proto)).toBeUndefined();
      expect(plain.headers()['content-security-policy'], String(proto)).not.toContain('upgrade-insecure-requests');
    }

    const secure = await api.get('/api/auth/csrf', { headers: { 'X-Forwarded-Proto': 'https' } });
    const secureCookie = secure.headersArray().find((h) => h.name.toLowerCase() === 'set-cookie' && h.value.includes('csrf-token'))?.value;
    expect(secureCookie).toMatch(/^__Host-authjs\.csrf-token=/);
    expect(secureCookie).toMatch(/;\s*Secure/i);
    const plain = await api.get('/api/auth/csrf');
    const plainCookie = plain.headersArray().find((h) => h.name.toLowerCase() === 'set-cookie' && h.value.includes('csrf-token'))?.value;
    expect(plainCookie).toMatch(/^authjs\.csrf-token=/);
    expect(plainCookie).not.toMatch(/;\s*Secure/i);
  });
});

test.describe('cross-origin requests', () => {
  test.use({ storageState: storageState('seller') });

  test("a signed-in seller's cookie does not carry an upload or an export posted from another site", async ({ page, baseURL }) => {
    const csv = 'email,market\r\ncross-origin@example.pl,PL\r\n';
    const upload = (headers: Record<string, string>) =>
      page.request.post('/customers/import/upload', {
        headers: { 'Content-Type': 'text/csv', 'X-File-Name': 'x.csv', ...headers },
        data: csv,
      });

    const attacks: Record<string, string>[] = [{ Origin: 'https://evil.example' }, { Origin: 'null' }, { 'Sec-Fetch-Site': 'cross-site' }];
    for (const headers of attacks) {
      const refused = await upload(headers);
      expect(refused.status(), JSON.stringify(headers)).toBe(403);
      expect(await refused.json()).toEqual({
        ok: false,
        message: 'This request came from another site and was refused. Open Zgoda directly and try again.',
      });
    }
    const exported = await page.request.post('/messages/1/export', { headers: { Origin: 'https://evil.example' }, maxRedirects: 0 });
    expect(exported.status()).toBe(403);
    expect(await exported.text()).toBe('This request came from another site and was refused. Open Zgoda directly and try again.');

    const accepted = await upload({ Origin: new URL(baseURL!).origin });
    expect(accepted.status()).toBe(200);
    expect(await accepted.json()).toMatchObject({ ok: true });
  });
});

test.describe('no CSP violations', () => {
  test('signing in by hand', async ({ page }) => {
    const violations = await watchViolations(page);
    await signIn(page, ROLE_USERS.seller, DEMO_PASSWORD);
    await expect(page.getByTestId('main-nav')).toBeVisible();
    expect(violations).toEqual([]);
  });

  test.describe('signed in', () => {
    test.use({ storageState: storageState('seller') });

    test('clicking through the main pages, the charts, a menu and an upload', async ({ page }) => {
      test.setTimeout(120_000);
      const violations = await watchViolations(page);
      const nav = page.getByTestId('main-nav');
      const heading = page.getByRole('heading', { level: 1 });

      await page.goto('/');
      await expect(heading).toBeVisible();
      await page.getByRole('button', { name: 'Account menu' }).click();
      await expect(page.getByRole('menu')).toBeVisible();
      await page.keyboard.press('Escape');

      await nav.getByRole('link', { name: 'Customers' }).click();
      await expect(page).toHaveURL(/\/customers$/);
      await page.locator('tbody a').first().click();
      await expect(page).toHaveURL(/\/customers\/\d+$/);
      await expect(page.getByTestId('consent-grid')).toBeVisible();
      // A server action's round trip and the form state it renders.
      await page.getByRole('button', { name: 'Record' }).click();
      await expect(page.getByText('Choose what happened.')).toBeVisible();

      await nav.getByRole('link', { name: 'Coverage' }).click();
      await expect(page).toHaveURL(/\/coverage/);
      await expect(heading).toBeVisible();

      await nav.getByRole('link', { name: 'Monitor' }).click();
      await expect(page).toHaveURL(/\/monitor/);
      await expect(page.locator('svg.recharts-surface').first()).toBeVisible({ timeout: 20_000 });

      await nav.getByRole('link', { name: 'Messages' }).click();
      await expect(page).toHaveURL(/\/messages/);
      await expect(heading).toBeVisible();
      await page.goto('/messages/new');
      await expect(heading).toBeVisible();

      for (const [label, url] of [
        ['Complaints', /\/complaints/],
        ['Replies', /\/replies/],
        ['Settings', /\/settings/],
      ] as const) {
        await nav.getByRole('link', { name: label }).click();
        await expect(page).toHaveURL(url);
        await expect(heading).toBeVisible();
      }
      await page.goto('/no-such-page');
      await expect(heading).toBeVisible();

      // A full load, then the upload's own request (an XMLHttpRequest) and the page it leads to.
      await page.goto('/customers/import');
      await page.getByLabel('File').setInputFiles({
        name: `${unique('csp')}.csv`,
        mimeType: 'text/csv',
        buffer: Buffer.from('email,market\r\ncsp@example.pl,PL\r\n'),
      });
      await page.getByRole('button', { name: 'Upload' }).click();
      await expect(page).toHaveURL(/\/customers\/import\/\d+$/);
      await expect(heading).toBeVisible();

      expect(violations).toEqual([]);
    });
  });
});
