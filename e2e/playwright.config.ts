import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, NO_CHROMIUM_MESSAGE, findChromium } from './chromium';

const chromium = findChromium();
if (!chromium) throw new Error(NO_CHROMIUM_MESSAGE);

const PORT = Number(process.env.E2E_PORT ?? 3100);
export const SMTP_PORT = PORT + 25;
const root = path.resolve(__dirname, '..');
const tmp = path.join(__dirname, '.tmp');

export default defineConfig({
  testDir: __dirname,
  outputDir: path.join(tmp, 'results'),
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [['list']],
  // A spec is a user's whole flow (an import with its dry run and commit, a user added and signed in as) against one
  // server on the embedded database, with two browsers beside it on a two-core machine: a minute per flow. Each step
  // still has the expect timeout below.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: `http://localhost:${PORT}`,
    locale: 'en-GB',
    timezoneId: 'Europe/Warsaw',
    launchOptions: { executablePath: chromium, args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    // Signing in as every role right after the server starts is slow on a loaded machine: the setup gets more time.
    { name: 'setup', testMatch: /auth\.setup\.ts/, timeout: 120_000 },
    // The two-instance specs start servers of their own: e2e/two-instances.config.ts runs them.
    { name: 'e2e', testMatch: /.*\.spec\.ts/, testIgnore: /two-instances\.spec\.ts/, dependencies: ['setup'] },
  ],
  webServer: {
    command: 'npx tsx scripts/start.ts',
    cwd: root,
    url: `http://localhost:${PORT}/sign-in`,
    // The production server with its seeded demo data can take minutes to answer on a busy machine.
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    env: {
      PORT: String(PORT),
      PGLITE_DIR: path.join(tmp, 'pglite'),
      ZGODA_DATA_DIR: path.join(tmp, 'data'),
      // The embedded database by default; E2E_DATABASE_URL runs the same specs on an empty PostgreSQL database.
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? '',
      // The specs sign in with the demo logins: on PostgreSQL only an explicit demo gets them (and shows the banner).
      ZGODA_DEMO: '1',
      // A production server on PostgreSQL refuses to start without its shared secrets.
      AUTH_SECRET: 'e2e-auth-secret',
      SUPPRESSION_KEY: 'e2e-suppression-key',
      PUBLIC_LINK_SECRET: 'e2e-public-link-secret',
      SECRETS_KEY: 'e2e-secrets-key',
      SEED_CUSTOMERS: '5000',
      WHATSAPP_APP_SECRET: 'e2e-whatsapp-app-secret',
      WHATSAPP_VERIFY_TOKEN: 'e2e-whatsapp-verify-token',
      // The opt-in spec runs a mail server of its own on this port and reads the confirmation mails from it.
      SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`,
      MAIL_FROM: 'Zgoda e2e <shop@zgoda.test>',
      // As in production behind a reverse proxy: X-Forwarded-Proto then decides HSTS and secure cookies.
      TRUSTED_PROXY: 'true',
    },
  },
});
