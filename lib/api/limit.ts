// The per-key rate limit of the API: a fixed window of 10 s in this instance's memory (lib/http/rate-limit.ts), so
// a burst may use the window's whole allowance. API_RATE_LIMIT is the sustained requests per second of one key.
import { rateLimit } from '@/lib/http/rate-limit';

const WINDOW_SECONDS = 10;
export const DEFAULT_RATE_PER_SECOND = 2000;

export function ratePerSecond(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.API_RATE_LIMIT);
  return Number.isInteger(value) && value > 0 ? value : DEFAULT_RATE_PER_SECOND;
}

export function limitKey(keyId: number, now?: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
  return rateLimit('api-key', String(keyId), { limit: ratePerSecond() * WINDOW_SECONDS, windowSeconds: WINDOW_SECONDS, now });
}
