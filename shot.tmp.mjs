import { chromium } from '@playwright/test';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--disable-sync'] });
async function session(email, viewport, locale) {
  const ctx = await browser.newContext({ viewport, locale: 'en-GB', timezoneId: 'Europe/Warsaw' });
  const page = await ctx.newPage();
  page.on('console', m => { if (m.type() === 'error') console.log('console error:', m.text()); });
  await page.goto('http://localhost:3000/sign-in');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill('zgoda-demo-2026');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('http://localhost:3000/');
  if (locale) { await page.getByLabel('Language').selectOption(locale); await page.waitForTimeout(1500); }
  return page;
}
let p = await session('admin@zgoda.demo', { width: 1280, height: 760 });
await p.waitForTimeout(800);
await p.screenshot({ path: 'docs/overview.png' });
p = await session('support@zgoda.demo', { width: 390, height: 844 }, 'pl');
await p.screenshot({ path: '/tmp/m-overview-pl.png', fullPage: true });
await p.getByRole('button', { name: 'Otwórz menu' }).click();
await p.waitForTimeout(500);
await p.screenshot({ path: '/tmp/m-menu-pl.png' });
await p.goto('http://localhost:3000/customers');
await p.screenshot({ path: '/tmp/m-customers-pl.png' });
p = await session('manager@zgoda.demo', { width: 1280, height: 800 }, 'de');
await p.goto('http://localhost:3000/settings');
await p.screenshot({ path: '/tmp/d-settings-de.png' });
await p.getByRole('button', { name: 'Kontomenü' }).click();
await p.waitForTimeout(300);
await p.screenshot({ path: '/tmp/d-menu-de.png' });
await p.goto('http://localhost:3000/complaints');
await p.screenshot({ path: '/tmp/d-complaints-de.png' });
await browser.close();
