// Fixed-window request limits kept in this instance's memory, for public surfaces (per IP) and the API (per key).
// Each instance counts its own requests: behind a load balancer over n instances a client gets at most n times the
// limit, which still stops floods and guessing; nothing here needs the database on the hot path.
import { processWide } from '@/lib/process-wide';

type Window = { start: number; count: number };

// Oldest windows are dropped first once a bucket holds this many keys, so a flood of distinct keys costs bounded memory.
const MAX_KEYS_PER_BUCKET = 50_000;
const buckets = processWide('rate-limit-buckets', () => new Map<string, Map<string, Window>>());

export type RateLimitResult = { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };

export function rateLimit(
  bucket: string,
  key: string,
  { limit, windowSeconds, now = Date.now() }: { limit: number; windowSeconds: number; now?: number },
): RateLimitResult {
  let windows = buckets.get(bucket);
  if (!windows) buckets.set(bucket, (windows = new Map()));
  const windowMs = windowSeconds * 1000;
  let w = windows.get(key);
  if (!w || now - w.start >= windowMs) {
    if (w) windows.delete(key);
    w = { start: now, count: 0 };
    if (windows.size >= MAX_KEYS_PER_BUCKET) windows.delete(windows.keys().next().value!);
    windows.set(key, w);
  }
  if (w.count >= limit) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((w.start + windowMs - now) / 1000)) };
  w.count += 1;
  return { ok: true, remaining: limit - w.count };
}

/** Forgets every count (tests). */
export function resetRateLimits(): void {
  buckets.clear();
}
