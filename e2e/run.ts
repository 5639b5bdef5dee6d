// `npm run test:e2e`: builds the production app, then runs the Playwright specs against it in the system Chromium.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { NO_CHROMIUM_MESSAGE, findChromium } from './chromium';

if (!findChromium()) {
  console.error(NO_CHROMIUM_MESSAGE);
  process.exit(1);
}

const root = path.resolve(__dirname, '..');
fs.rmSync(path.join(root, 'e2e', '.tmp'), { recursive: true, force: true });
fs.rmSync(path.join(root, 'e2e', '.auth'), { recursive: true, force: true });

function run(args: string[]): void {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: process.env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// The two-instance specs have a configuration of their own (they start their own servers): they run when named on
// the command line, or after the others when no argument is given.
const args = process.argv.slice(2);
const pairNamed = args.some((a) => a.includes('two-instances'));

if (process.env.E2E_SKIP_BUILD !== '1') run([require.resolve('next/dist/bin/next'), 'build']);
const playwright = (config: string) => run([require.resolve('@playwright/test/cli'), 'test', '-c', config, ...args]);
if (!pairNamed) playwright('e2e/playwright.config.ts');
if (pairNamed || args.length === 0) playwright('e2e/two-instances.config.ts');
