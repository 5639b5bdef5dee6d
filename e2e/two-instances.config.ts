// The two-instance specs: they start production instances of their own on a PostgreSQL database of their own, so this
// configuration starts no server. `npm run test:e2e` runs them after the main specs (see e2e/run.ts).
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import main from './playwright.config';

if (!process.env.TEST_DATABASE_URL)
  console.log('The two-instance specs are skipped: set TEST_DATABASE_URL to a PostgreSQL server they may create a database on.');

export default defineConfig({
  testDir: __dirname,
  testMatch: /two-instances\.spec\.ts/,
  outputDir: path.join(__dirname, '.tmp', 'results-instances'),
  workers: 1,
  retries: 0,
  reporter: [['list']],
  // Starting two instances (and seeding their database) is part of the first test's time.
  timeout: 120_000,
  expect: main.expect,
  // The browser and locale of the main specs; each test names the instance it opens.
  use: { ...main.use, baseURL: undefined },
});
