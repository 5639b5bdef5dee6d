// Two production instances of the built app on one PostgreSQL database, as a deployment behind a load balancer runs
// them: what one instance does, the other must see at once (sessions, webhook messages recorded exactly once, an
// import started on one and carried on from the other).
// The instances start once for the file; more tests of the pair can be added below the same beforeAll.
import { expect, test } from '@playwright/test';
import { like } from 'drizzle-orm';
import { openDb } from '@/db';
import type { DbHandle } from '@/db';
import { customers } from '@/db/schema';
import { answersAsExpected, checkRecorded, insertCustomers, planTraffic, sendTraffic } from '@/lib/whatsapp/traffic';
import { DEMO_PASSWORD, ROLE_USERS, expectSignedIn, signIn, unique } from './fixtures';
import type { Instances } from './instances';
import { freshDatabase, randomSecrets, seedDatabase, startInstances } from './instances';

const SERVER_URL = process.env.TEST_DATABASE_URL;
const FIRST_PORT = Number(process.env.E2E_PORT ?? 3100);
const secrets = randomSecrets();

test.describe.configure({ mode: 'serial' });
test.skip(!SERVER_URL, 'TEST_DATABASE_URL is not set: the two-instance specs create their database on that PostgreSQL server.');

let database: { url: string; drop: () => Promise<void> } | null = null;
let instances: Instances | null = null;
let db: DbHandle | null = null;

const instance = (i: 0 | 1) => instances!.list[i]!;

test.beforeAll(async () => {
  database = await freshDatabase(SERVER_URL!, 'zgoda_e2e_pair');
  // Seeded once, before either instance starts: the demo users and a few customers.
  await seedDatabase(database.url, secrets, 200);
  instances = await startInstances({ ports: [FIRST_PORT, FIRST_PORT + 1], databaseUrl: database.url, secrets });
  db = await openDb({ url: database.url }, { limits: false });
});

// Both instances stop and the database goes, whatever the tests did.
test.afterAll(async () => {
  await db?.close();
  await instances?.stop();
  await database?.drop();
});

test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus && instances) {
    for (const i of instances.list) await testInfo.attach(`instance ${i.port} log`, { body: i.log(), contentType: 'text/plain' });
  }
});

/** Where instance `i` sends a request carrying only `cookie`: its status and redirect target. */
async function visit(i: 0 | 1, path: string, cookie: string): Promise<{ status: number; location: string | null }> {
  const response = await fetch(`${instance(i).baseUrl}${path}`, { headers: { cookie }, redirect: 'manual' });
  return { status: response.status, location: response.headers.get('location') };
}

test('signing out everywhere on one instance ends the session on the other', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: instance(0).baseUrl });
  const page = await context.newPage();
  await signIn(page, ROLE_USERS.support, DEMO_PASSWORD);
  await expectSignedIn(page);
  const cookies = await context.cookies();
  const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  expect(cookies.some((c) => c.name.includes('session-token'))).toBe(true);

  // The other instance takes the session signed by the first: same AUTH_SECRET, same users.
  expect(await visit(1, '/customers', cookie)).toMatchObject({ status: 200 });

  await page.goto('/account');
  await page.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(page).toHaveURL(/\/sign-in/);

  // The same cookie, sent to the other instance over HTTP: sent to sign-in, on a page and on the overview.
  for (const path of ['/customers', '/']) {
    const answer = await visit(1, path, cookie);
    expect(answer.status, `${path} on the second instance`).toBeGreaterThanOrEqual(300);
    expect(answer.status).toBeLessThan(400);
    expect(new URL(answer.location ?? '', instance(1).baseUrl).pathname).toBe('/sign-in');
  }
  await context.close();
});

test('webhook messages posted to both instances at once are each recorded exactly once', async () => {
  const plan = planTraffic({ messages: 400, targets: 2, secret: secrets.WHATSAPP_APP_SECRET });
  await insertCustomers(db!.db, plan, 'e2e_pair');
  const sent = await sendTraffic(
    plan,
    instances!.list.map((i) => i.baseUrl),
    { concurrency: 16 },
  );
  test
    .info()
    .annotations.push({ type: 'figures', description: `${plan.posts.length} POSTs, ${sent.unavailable} answered 503 and retried` });

  expect(sent.gaveUp, 'POSTs never accepted').toBe(0);
  expect(answersAsExpected(plan, sent), JSON.stringify([...sent.answers])).toBe(true);
  // Some messages reached both instances, as Meta's retries do.
  expect(plan.posts.filter((p) => p.kind === 'duplicate').length).toBeGreaterThan(10);
  expect(await checkRecorded(db!.db, plan)).toMatchObject({ lost: 0, duplicated: 0, forged: 0 });
});

/** A shop file in Zgoda's template: `rows` customers with an e-mail marketing grant, every 500th e-mail invalid. */
function shopFile(id: string, rows: number): { csv: Buffer; rejected: string[] } {
  const lines = [
    'external_id,first_name,last_name,email,phone,market,language,email_marketing,email_marketing_date,email_marketing_source',
  ];
  const rejected: string[] = [];
  for (let i = 1; i <= rows; i++) {
    const bad = i % 500 === 0;
    if (bad) rejected.push(`${id}-${i}`);
    const email = bad ? `kunde${i}@@${id}.example` : `kunde${i}@${id.toLowerCase()}.example`;
    lines.push(`${id}-${i},Kunde,Nr ${i},${email},,DE,de,ja,2026-03-14,Checkout Formular v2`);
  }
  return { csv: Buffer.from(lines.join('\r\n') + '\r\n', 'utf8'), rejected };
}

// Enough rows that the commit runs for some seconds on a quiet machine, so that the other instance can show it move.
const ROWS = 200_000;

test('an import uploaded on one instance is checked from the other, committed on the first while the second shows it move', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const id = unique('PAIR');
  const { csv, rejected } = shopFile(id, ROWS);
  // One browser, one session: instance A in one tab, instance B in another (cookies do not depend on the port).
  const context = await browser.newContext({ baseURL: instance(0).baseUrl });
  const onA = await context.newPage();
  await signIn(onA, ROLE_USERS.seller, DEMO_PASSWORD);
  await expectSignedIn(onA);

  // Uploaded on A.
  await onA.goto(`${instance(0).baseUrl}/customers/import`);
  await onA.getByLabel('File').setInputFiles({ name: `${id}.csv`, mimeType: 'text/csv', buffer: csv });
  await onA.getByRole('button', { name: 'Upload' }).click();
  await expect(onA).toHaveURL(/\/customers\/import\/\d+$/, { timeout: 60_000 });
  const batchPath = new URL(onA.url()).pathname;

  // The dry run asked for on B, whose disk never saw the file.
  const onB = await context.newPage();
  await onB.goto(`${instance(1).baseUrl}${batchPath}`);
  await expect(onB.getByLabel('Meaning: email', { exact: true })).toHaveValue('email');
  await onB.getByRole('button', { name: 'Check the file (dry run)' }).click();
  await expect(onB.getByText('Dry run finished.')).toBeVisible({ timeout: 120_000 });
  await expect(onB.getByTestId('import-counts')).toContainText(`Rejected${rejected.length}`);

  // Committed on A; B, opened on the batch page meanwhile, shows the commit's progress as the worker running it
  // (on A or on B) reports it.
  await onA.goto(`${instance(0).baseUrl}${batchPath}`);
  await onA.getByRole('button', { name: 'Commit import' }).click();
  await expect(onA.getByRole('progressbar').or(onA.getByText('Import committed').first())).toBeVisible();
  await onB.goto(`${instance(1).baseUrl}${batchPath}`);
  const bar = onB.getByRole('progressbar');
  await expect(bar).toBeVisible({ timeout: 30_000 });
  const seen = new Set<string>();
  const committed = onB.getByText('Import committed').first();
  while (!(await committed.isVisible())) {
    const label = await bar.getAttribute('aria-label', { timeout: 200 }).catch(() => null);
    if (label) seen.add(label);
    await onB.waitForTimeout(200);
  }
  test.info().annotations.push({ type: 'progress seen on B', description: [...seen].join(' | ') });
  // The bar moved: B showed more than one state of the running commit before it ended.
  expect(seen.size, [...seen].join(' | ')).toBeGreaterThan(1);
  expect(await db!.db.$count(customers, like(customers.externalId, `${id}-%`))).toBe(ROWS - rejected.length);

  // The rejected rows, downloaded from B: the file's own lines of exactly those rows.
  const download = await onB.request.get(`${instance(1).baseUrl}${batchPath}/rejected`);
  expect(download.status()).toBe(200);
  const lines = (await download.text()).trim().split('\r\n');
  expect(lines).toHaveLength(rejected.length + 1);
  for (const external of rejected) expect(lines.some((l) => l.startsWith(`${external},`))).toBe(true);
  await context.close();
});
