// Finds the system Chromium that Playwright drives (it cannot download its own browser here).
import fs from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function findChromium(): string | null {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) return fs.existsSync(configured) ? configured : null;
  return CANDIDATES.find((p) => fs.existsSync(p)) ?? null;
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const NO_CHROMIUM_MESSAGE = [
  'No Chromium found for the browser tests.',
  'Install one, e.g. on Debian/Ubuntu: sudo apt-get install -y chromium',
  'or point CHROMIUM_PATH at a Chromium or Chrome binary.',
].join('\n');
