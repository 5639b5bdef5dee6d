import { describe, expect, it } from 'vitest';
import type { SendAnswer } from './outcomes';
import { DAY_MS, MAX_ATTEMPTS, outcomeOf } from './outcomes';

const err = (code: number | null, httpStatus = 400, extra: Partial<Extract<SendAnswer, { ok: false }>> = {}): SendAnswer => ({
  ok: false,
  httpStatus,
  code,
  title: 'x',
  ...extra,
});

describe("Meta's answers", () => {
  it.each([
    ['accepted: sent', { ok: true, messageId: 'wamid.1' } as SendAnswer, 1, 0, { kind: 'sent', messageId: 'wamid.1' }],
    ['130429 throughput: back off and retry', err(130429), 1, 0, { kind: 'retry', slowDown: true }],
    ['131056 pair rate: back off and retry', err(131056), 1, 0, { kind: 'retry' }],
    ['Retry-After longer than the backoff wins', err(130429, 429, { retryAfterSeconds: 60 }), 1, 0, { kind: 'retry', retryInMs: 60_000 }],
    ['131049 first time: in 24 h', err(131049), 1, 0, { kind: 'defer_user_limit', retryInMs: DAY_MS }],
    ['131049 after two deferrals: failed', err(131049), 3, 2, { kind: 'failed', reason: 'user_limit' }],
    ['131026: undeliverable', err(131026), 1, 0, { kind: 'failed', reason: 'undeliverable' }],
    ['131050: the user stopped marketing', err(131050), 1, 0, { kind: 'marketing_stopped' }],
    ['190 bad token: pause', err(190, 401), 1, 0, { kind: 'pause', reason: 'auth' }],
    ['401 without a code: pause', err(null, 401), 1, 0, { kind: 'pause', reason: 'auth' }],
    ['403 permission: pause', err(10, 403), 1, 0, { kind: 'pause', reason: 'auth' }],
    ['132015 template paused: pause', err(132015), 1, 0, { kind: 'pause', reason: 'template' }],
    ['368 account blocked: pause', err(368), 1, 0, { kind: 'pause', reason: 'account' }],
    ['503: retry with backoff', err(131000, 503), 1, 0, { kind: 'retry', slowDown: true }],
    ['network error: retry', err(null, 0), 2, 0, { kind: 'retry', retryInMs: 4000 }],
    ['5xx on the last attempt: failed', err(null, 500), MAX_ATTEMPTS, 0, { kind: 'failed', reason: 'retries_exhausted' }],
    ['any other refusal: failed as rejected', err(132000), 1, 0, { kind: 'failed', reason: 'rejected' }],
  ] as const)('%s', (_, answer, attempts, deferrals, expected) => {
    expect(outcomeOf(answer, attempts, deferrals)).toMatchObject(expected);
  });
});
