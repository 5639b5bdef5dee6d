import { beforeEach, describe, expect, it } from 'vitest';
import { rateLimit, resetRateLimits } from './rate-limit';

beforeEach(resetRateLimits);

describe('rateLimit', () => {
  it('lets the limit through in a window, then tells when to come back', () => {
    const opts = { limit: 3, windowSeconds: 60, now: 1_000_000 };
    expect([1, 2, 3].map(() => rateLimit('form', '10.0.0.1', opts).ok)).toEqual([true, true, true]);
    expect(rateLimit('form', '10.0.0.1', { ...opts, now: 1_000_000 + 15_500 })).toEqual({ ok: false, retryAfterSeconds: 45 });
  });

  it('starts a new window once the old one is over', () => {
    const opts = { limit: 1, windowSeconds: 10 };
    expect(rateLimit('form', 'a', { ...opts, now: 0 }).ok).toBe(true);
    expect(rateLimit('form', 'a', { ...opts, now: 9_999 }).ok).toBe(false);
    expect(rateLimit('form', 'a', { ...opts, now: 10_000 }).ok).toBe(true);
  });

  it('counts keys and buckets apart', () => {
    const opts = { limit: 1, windowSeconds: 60, now: 0 };
    expect(rateLimit('form', 'a', opts).ok).toBe(true);
    expect(rateLimit('form', 'b', opts).ok).toBe(true);
    expect(rateLimit('unsubscribe', 'a', opts).ok).toBe(true);
    expect(rateLimit('form', 'a', opts).ok).toBe(false);
  });
});
