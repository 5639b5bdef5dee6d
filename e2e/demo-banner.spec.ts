import type { Locator } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { storageState } from './fixtures';

const TEXT = {
  en: 'Demo: sample data and published demo passwords; not for real customers. See README → Production.',
  de: 'Demo: Beispieldaten und veröffentlichte Demo-Passwörter; nicht für echte Kunden. Siehe README → Production.',
  pl: 'Demo: przykładowe dane i opublikowane hasła demo; nie dla prawdziwych klientów. Zobacz README → Production.',
};

/** WCAG contrast of the banner's text on its background; the canvas turns Tailwind's oklch colours into sRGB. */
async function contrast(banner: Locator): Promise<number> {
  return banner.evaluate((el) => {
    const style = getComputedStyle(el);
    const ctx = document.createElement('canvas').getContext('2d')!;
    const rgb = (color: string) => {
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = color;
      ctx.fillRect(0, 0, 1, 1);
      return Array.from(ctx.getImageData(0, 0, 1, 1).data.slice(0, 3));
    };
    const luminance = (c: number[]) =>
      c
        .map((v) => v / 255)
        .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
        .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i]!, 0);
    const [a, b] = [luminance(rgb(style.color)), luminance(rgb(style.backgroundColor))].sort((x, y) => y - x);
    return (a! + 0.05) / (b! + 0.05);
  });
}

test.describe('the demo banner, signed in', () => {
  test.use({ storageState: storageState('seller') });

  test('stands above every page of the shell as a named region, readable at phone width', async ({ page }) => {
    for (const path of ['/', '/customers', '/account']) {
      await page.goto(path);
      const banner = page.getByRole('region', { name: 'Demo notice' });
      await expect(banner).toHaveText(TEXT.en);
    }
    const banner = page.getByRole('region', { name: 'Demo notice' });
    expect(await contrast(banner)).toBeGreaterThanOrEqual(4.5);

    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto('/');
    await expect(banner).toBeInViewport({ ratio: 1 });
    // Unobtrusive: a couple of lines at most, and nothing pushed off the side of a phone.
    const box = (await banner.boundingBox())!;
    expect(box.height).toBeLessThanOrEqual(80);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  });
});

test.describe('the demo banner before signing in', () => {
  test('is on the sign-in page, in the visitor language, and the demo has its admin', async ({ browser }) => {
    for (const locale of ['en-GB', 'de-DE', 'pl-PL'] as const) {
      const context = await browser.newContext({ locale, viewport: { width: 360, height: 740 } });
      const page = await context.newPage();
      await page.goto('/sign-in');
      const banner = page.getByTestId('demo-banner');
      await expect(banner).toHaveText(TEXT[locale.slice(0, 2) as keyof typeof TEXT]);
      await expect(banner).toBeInViewport({ ratio: 1 });
      expect(await contrast(banner)).toBeGreaterThanOrEqual(4.5);
      // The "no admin yet" notice belongs to a real install without one (lib/setup/demo.test.ts), not to the demo.
      await expect(page.getByTestId('no-admin')).toHaveCount(0);
      await context.close();
    }
  });
});
