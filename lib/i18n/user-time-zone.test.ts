import { describe, expect, it, vi } from 'vitest';

const jar = vi.hoisted(() => ({ tz: undefined as string | undefined }));
vi.mock('next/headers', () => ({
  cookies: async () => ({ get: (name: string) => (name === 'tz' && jar.tz !== undefined ? { value: jar.tz } : undefined) }),
}));

const { userTimeZone } = await import('./user-time-zone');

describe('userTimeZone', () => {
  it.each([
    ['the zone the browser reported', 'America/New_York', 'America/New_York'],
    ['Warsaw without a cookie', undefined, 'Europe/Warsaw'],
    ['Warsaw for a name that is no time zone', 'Mars/Olympus_Mons', 'Europe/Warsaw'],
    ['Warsaw for an overlong value', 'x'.repeat(65), 'Europe/Warsaw'],
  ])('gives %s', async (_, cookie, expected) => {
    jar.tz = cookie;
    expect(await userTimeZone()).toBe(expected);
  });
});
