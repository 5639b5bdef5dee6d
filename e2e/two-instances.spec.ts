// Two production instances of the built app on one PostgreSQL database, as a deployment behind a load balancer runs
// them: what one instance does, the other must see at once (sessions, webhook messages recorded exactly once).
// The instances start once for the file; more tests of the pair can be added below the same beforeAll.
import { expect, test } from '@playwright/test';
import { openDb } from '@/db';
import type { DbHandle } from '@/db';
import { answersAsExpected, checkRecorded, insertCustomers, planTraffic, sendTraffic } from '@/lib/whatsapp/traffic';
import { DEMO_PASSWORD, ROLE_USERS, expectSignedIn, signIn } from './fixtures';
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
  const sent = await sendTraffic(plan, instances!.list.map((i) => i.baseUrl), { concurrency: 16 });
  test.info().annotations.push({ type: 'figures', description: `${plan.posts.length} POSTs, ${sent.unavailable} answered 503 and retried` });

  expect(sent.gaveUp, 'POSTs never accepted').toBe(0);
  expect(answersAsExpected(plan, sent), JSON.stringify([...sent.answers])).toBe(true);
  // Some messages reached both instances, as Meta's retries do.
  expect(plan.posts.filter((p) => p.kind === 'duplicate').length).toBeGreaterThan(10);
  expect(await checkRecorded(db!.db, plan)).toMatchObject({ lost: 0, duplicated: 0, forged: 0 });
});
