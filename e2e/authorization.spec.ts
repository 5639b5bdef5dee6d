// Posts every server action of the production build as every role (and signed out) and checks the answer.
import fs from 'node:fs';
import path from 'node:path';
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, request, test } from '@playwright/test';
import type { Role } from '../lib/auth/roles';
import { ROLES } from '../lib/auth/roles';
import type { ApiScope } from '../lib/api/scopes';
import { API_SCOPES } from '../lib/api/scopes';
import { storageState } from './fixtures';

type Access = 'anyone' | readonly Role[];
/** lead: arguments bound before the form's (action.bind(null, ...)), sent ahead of it as the browser sends them. */
type Call = { access: Access; args: 'form' | unknown[]; fields?: Record<string, string>; lead?: unknown[] };

/** Every server action, who may run it, and a harmless call: allowed roles get a validation answer, never a change. */
const ACTIONS: Record<string, Call> = {
  signInWithPassword: { access: 'anyone', args: 'form', fields: { email: 'not-an-email', password: 'x' } },
  setLocale: { access: 'anyone', args: ['xx'] },
  signOutAction: { access: 'anyone', args: [] },
  createUserAction: { access: ['admin'], args: 'form', fields: { name: '', email: 'bad', role: 'admin', password: 'short' } },
  changeUserRoleAction: { access: ['admin'], args: 'form', fields: { userId: '0', role: 'nobody' } },
  setUserActiveAction: { access: ['admin'], args: 'form', fields: { userId: '0', active: 'maybe' } },
  createResetLinkAction: { access: ['admin'], args: 'form', fields: { userId: '0' } },
  changePasswordAction: { access: ROLES, args: 'form', fields: { current: 'not-the-password', next: 'short', confirmation: 'other' } },
  // Without the confirmation field the action refuses, so the demo users' sessions survive the spec.
  signOutEverywhereAction: { access: ROLES, args: 'form', fields: {} },
  resetPasswordAction: {
    access: 'anyone',
    args: 'form',
    fields: { token: 'forged-token', password: 'Nowe haslo 2026!', confirmation: 'Nowe haslo 2026!' },
  },
  updateMarketRuleAction: { access: ['admin'], args: 'form', fields: { market: 'Germany', channel: 'email', purpose: 'marketing' } },
  addMarketAction: { access: ['admin'], args: 'form', fields: { market: '??', copyFrom: 'EU' } },
  recordConsentAction: {
    access: ['admin', 'seller', 'support'],
    args: 'form',
    fields: { customerId: '1', kind: 'granted', channel: 'email', purpose: 'marketing' },
  },
  // Without a reason the erasure is refused before anything is looked up.
  eraseCustomerAction: { access: ['admin', 'seller', 'support'], args: 'form', fields: { customerId: '1', reason: '', confirmation: '' } },
  prepareImportAction: {
    access: ['admin', 'seller'],
    args: 'form',
    fields: { batchId: '0', intent: 'dryrun', encoding: 'utf-8', delimiter: ',' },
  },
  commitImportAction: { access: ['admin', 'seller'], args: 'form', fields: { batchId: '0' } },
  retryImportAction: { access: ['admin', 'seller'], args: 'form', fields: { batchId: '0' } },
  discardImportAction: { access: ['admin', 'seller'], args: 'form', fields: { batchId: '0' } },
  createComplaintAction: {
    access: ['admin', 'seller', 'support'],
    args: 'form',
    fields: { customerId: '1', channel: 'email', kind: 'other' },
  },
  updateComplaintAction: { access: ['admin', 'seller', 'support'], args: 'form', fields: { complaintId: '1', status: 'resolved' } },
  decideReplyAction: { access: ['admin', 'seller', 'support'], args: 'form', fields: { reviewId: '0', decision: 'withdraw_all' } },
  updateAlertThresholdsAction: { access: ['admin'], args: 'form', fields: { campaignOptOutRatePct: '-1', weeklyComplaints: 'many' } },
  updateStopScopeAction: { access: ['admin'], args: 'form', fields: { stopScope: 'everything' } },
  updateRetentionAction: { access: ['admin'], args: 'form', fields: { importFilesDays: '0', ledgerYears: '1' } },
  runRetentionNowAction: { access: ['admin'], args: 'form', fields: {} },
  verifyAuditChainAction: { access: ['admin'], args: 'form', fields: {} },
  saveDraftAction: { access: ['admin', 'seller'], args: 'form', fields: { name: '', category: 'transactional', language: 'en', body: '' } },
  submitDraftAction: { access: ['admin', 'seller'], args: 'form', fields: { id: '0' } },
  approveDraftAction: { access: ['admin', 'manager'], args: 'form', fields: { id: '0' } },
  rejectDraftAction: { access: ['admin', 'manager'], args: 'form', fields: { id: '0', comment: '' } },
  // No scope ticked: refused before a key is made.
  createApiKeyAction: { access: ['admin'], args: 'form', fields: { name: 'authorization spec' } },
  revokeApiKeyAction: { access: ['admin'], args: 'form', fields: { id: '0' } },
  // The customer's own pages: the signed link in the form is the proof, so a forged one changes nothing for anyone.
  changePreferenceAction: {
    access: 'anyone',
    args: 'form',
    fields: { token: 'forged.token', locale: 'en', intent: 'withdraw', channel: 'email', purpose: 'marketing', seen: '', version: 'x' },
  },
  unsubscribeAction: { access: 'anyone', args: 'form', fields: { token: 'forged.token', locale: 'en' } },
  // A form that does not exist, and a forged confirmation link: nothing is recorded for anyone.
  submitOptInAction: {
    access: 'anyone',
    args: 'form',
    lead: ['no-such-form'],
    fields: { email: 'kunde@example.de', box: 'email:marketing' },
  },
  confirmAction: { access: 'anyone', args: ['forged.token', null] },
  // Neither a slug nor a box: refused before anything is saved.
  saveOptInFormAction: { access: ['admin'], args: 'form', fields: {} },
  // Without the shop's name no run starts.
  sendConfirmationsAction: { access: ['admin', 'seller'], args: 'form', fields: { shopName: '' } },
  saveWhatsAppConnectionAction: { access: ['admin'], args: 'form', fields: { phoneNumberId: 'abc', accessToken: 'x' } },
  checkWhatsAppConnectionAction: { access: ['admin'], args: 'form', fields: { phoneNumberId: 'abc' } },
  submitTemplateToMetaAction: { access: ['admin', 'seller'], args: 'form', fields: { id: '0' } },
  refreshTemplateStatusAction: { access: ['admin', 'seller'], args: 'form', fields: { id: '0' } },
  updateCampaignSendingAction: { access: ['admin'], args: 'form', fields: { ratePerSecond: '0', frequencyCap: 'x' } },
  sendCampaignAction: { access: ['admin', 'seller'], args: 'form', fields: { id: '0', rate: 'many' } },
  controlCampaignAction: { access: ['admin', 'manager'], args: 'form', fields: { id: '0', control: 'explode' } },
};

/** Pages the proxy lets signed-out visitors reach, so their actions answer instead of redirecting. */
const PUBLIC_PAGES = ['/sign-in', '/reset-password'];
/** The customers' own pages, which the proxy lets through by prefix (proxy.ts). */
const PUBLIC_PREFIXES = ['/f/', '/c/', '/p/', '/u/'];
const isPublicPage = (path: string) => PUBLIC_PAGES.includes(path) || PUBLIC_PREFIXES.some((p) => path.startsWith(p));

type ManifestEntry = { workers: Record<string, unknown>; exportedName?: string; filename?: string };
const manifestPath = path.resolve(__dirname, '..', '.next', 'server', 'server-reference-manifest.json');
const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as { node: Record<string, ManifestEntry> };
const actions = Object.entries(manifest.node).map(([id, entry]) => ({ id, name: entry.exportedName ?? id, entry }));

/** The URL of a page that uses the action: app/(dashboard)/settings/users/page -> /settings/users. */
function pagePath(entry: ManifestEntry): string {
  const worker = Object.keys(entry.workers)[0] ?? 'app/page';
  const route = worker
    .replace(/^app/, '')
    .replace(/\/page$/, '')
    .replace(/\/\([^)]+\)/g, '');
  return route === '' ? '/' : route;
}

async function callAction(api: APIRequestContext, id: string, entry: ManifestEntry, call: Call) {
  const headers = { 'Next-Action': id, Accept: 'text/x-component' };
  const url = pagePath(entry);
  if (call.args === 'form') {
    // useActionState actions receive (previousState, formData); the FormData travels as fields prefixed "1_".
    const multipart: Record<string, string> = { '0': JSON.stringify([...(call.lead ?? []), '$undefined', '$K1']) };
    for (const [k, v] of Object.entries(call.fields ?? {})) multipart[`1_${k}`] = v;
    return api.post(url, { headers, multipart, maxRedirects: 0 });
  }
  return api.post(url, {
    headers: { ...headers, 'Content-Type': 'text/plain;charset=UTF-8' },
    data: JSON.stringify(call.args),
    maxRedirects: 0,
  });
}

test('every server action in the build has an access rule here', () => {
  expect(actions.length).toBeGreaterThan(0);
  expect(actions.map((a) => a.name).filter((name) => !(name in ACTIONS))).toEqual([]);
});

for (const who of [...ROLES, 'signed-out'] as const) {
  test(`server actions as ${who}`, async ({ baseURL }) => {
    for (const { id, name, entry } of actions) {
      const call = ACTIONS[name];
      if (!call) continue;
      // A context of its own per call: signing out must not change what the next call is sent as.
      const api = await request.newContext({ baseURL, storageState: who === 'signed-out' ? undefined : storageState(who) });
      const response = await callAction(api, id, entry, call);
      const body = await response.text();
      const allowed = call.access === 'anyone' || (who !== 'signed-out' && call.access.includes(who));
      if (who === 'signed-out' && !isPublicPage(pagePath(entry))) {
        // The proxy sends signed-out visitors to sign-in before any action on a dashboard page runs.
        expect.soft(response.status(), `${name} as ${who}`).toBe(307);
        expect.soft(response.headers()['location'] ?? '', `${name} as ${who}`).toContain('/sign-in');
      } else if (allowed) {
        expect.soft(response.status(), `${name} as ${who}`).toBe(200);
        expect.soft(body, `${name} as ${who} must not change anything`).not.toContain('"ok":true');
      } else {
        expect.soft(response.status(), `${name} as ${who}`).toBe(403);
        expect.soft(body, `${name} as ${who}`).not.toContain('"ok"');
      }
      await api.dispose();
    }
  });
}

/** The API's endpoints, the scope each needs, and a harmless call: a key with the scope gets 404 or 422, never a change. */
const ENDPOINTS: Array<{ scope: ApiScope; method: 'GET' | 'POST'; path: string; data?: unknown; allowedStatus: number }> = [
  {
    scope: 'decisions:read',
    method: 'GET',
    path: '/api/v1/decision?customerId=999999999&channel=email&purpose=marketing',
    allowedStatus: 404,
  },
  {
    scope: 'consent:write',
    method: 'POST',
    path: '/api/v1/consent-events',
    data: { customerId: 999999999, channel: 'email', purpose: 'marketing', kind: 'granted', occurredAt: '2026-03-01T10:00:00Z' },
    allowedStatus: 422,
  },
  {
    scope: 'customers:write',
    method: 'POST',
    path: '/api/v1/customers',
    data: { externalId: 'authz-spec', email: 'not-an-email' },
    allowedStatus: 422,
  },
];

/** Makes a key with one scope through Settings → API, as an admin, and reads it from the page (it is shown once). */
async function makeKey(page: Page, name: string, scope: ApiScope): Promise<string> {
  await page.goto('/settings/api');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.locator(`input[name="scopes"][value="${scope}"]`).check();
  await page.getByRole('button', { name: 'Create key' }).click();
  const key = await page.locator('#new-api-key-value').inputValue();
  expect(key).toMatch(/^zgk_/);
  return key;
}

test.describe('API keys and scopes', () => {
  test.use({ storageState: storageState('admin') });

  test('each scope reaches its endpoint only; no key, a revoked key and a session cookie are refused', async ({ page, baseURL }) => {
    const run = Date.now().toString(36);
    const keys = {} as Record<ApiScope, string>;
    for (const scope of API_SCOPES) keys[scope] = await makeKey(page, `authz ${scope} ${run}`, scope);
    const revokedKey = await makeKey(page, `authz revoked ${run}`, 'decisions:read');
    // Used before it is revoked, so that the server knows the key when the revocation comes: the instance that revokes
    // a key refuses it at once.
    const decision = ENDPOINTS[0]!;
    expect((await page.request.get(decision.path, { headers: { Authorization: `Bearer ${revokedKey}` } })).status()).toBe(404);
    page.once('dialog', (dialog) => void dialog.accept());
    await page
      .getByTestId(`api-key-row-authz revoked ${run}`)
      .getByRole('button', { name: /Revoke/ })
      .click();
    await expect(page.getByTestId(`api-key-row-authz revoked ${run}`)).toContainText('Revoked');
    expect((await page.request.get(decision.path, { headers: { Authorization: `Bearer ${revokedKey}` } })).status()).toBe(401);

    const api = await request.newContext({ baseURL });
    const send = (endpoint: (typeof ENDPOINTS)[number], headers: Record<string, string>) =>
      api.fetch(endpoint.path, { method: endpoint.method, headers, data: endpoint.data, maxRedirects: 0 });
    for (const endpoint of ENDPOINTS) {
      for (const scope of API_SCOPES) {
        const response = await send(endpoint, { Authorization: `Bearer ${keys[scope]}` });
        const body = (await response.json()) as { type?: string };
        const expected = scope === endpoint.scope ? endpoint.allowedStatus : 403;
        expect.soft(response.status(), `${scope} on ${endpoint.method} ${endpoint.path}`).toBe(expected);
        expect.soft(response.headers()['content-type'], `${scope} on ${endpoint.path}`).toContain('application/problem+json');
        // The server answers these endpoints itself (server.ts), with the headers Next.js gives every other answer.
        expect.soft(response.headers()['x-frame-options'], `${scope} on ${endpoint.path}`).toBe('DENY');
        expect.soft(response.headers()['x-content-type-options'], `${scope} on ${endpoint.path}`).toBe('nosniff');
        expect.soft(response.headers()['content-security-policy'], `${scope} on ${endpoint.path}`).toContain("frame-ancestors 'none'");
        if (expected === 403) expect.soft(body.type).toBe('urn:zgoda:problem:scope');
      }
      for (const [what, headers] of [
        ['no key', {}],
        ['a revoked key', { Authorization: `Bearer ${revokedKey}` }],
      ] as const) {
        const response = await send(endpoint, headers);
        expect.soft(response.status(), `${what} on ${endpoint.path}`).toBe(401);
      }
    }
    await api.dispose();

    // The signed-in admin's session cookie is no key: the API answers 401 to the browser's own requests.
    for (const endpoint of ENDPOINTS) {
      const response = await page.request.fetch(endpoint.path, { method: endpoint.method, data: endpoint.data, maxRedirects: 0 });
      expect.soft(response.status(), `session cookie on ${endpoint.path}`).toBe(401);
    }
  });
});
