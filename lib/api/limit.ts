// Per-key rate limit of the API.
export type Limited = { ok: true } | { ok: false; retryAfterSeconds: number };

export function limitKey(_keyId: number): Limited {
  return { ok: true };
}
