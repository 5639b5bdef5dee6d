// What the send worker does with each answer of the Cloud API: Meta's error codes decide whether a recipient is sent,
// retried later, given up on, turned into a withdrawal, or whether the whole campaign must stop until a person acts.
// Pure, so each code is a row of the test.

/** The answer of one send call (the shape of the Graph client's `sendTemplateMessage`). */
export type SendAnswer =
  | { ok: true; messageId: string }
  | { ok: false; httpStatus: number; code: number | null; subcode?: number; title: string; detail?: string; retryAfterSeconds?: number };

export type SendError = Extract<SendAnswer, { ok: false }>;

/** Why a campaign stops by itself: the token, the template or the business account needs a person. */
export type PauseReason = 'auth' | 'template' | 'account';

export type Outcome =
  | { kind: 'sent'; messageId: string }
  /** Back in the queue at `retryInMs`; `slowDown`: the number's rate is too high for Meta (the worker halves it for a while). */
  | { kind: 'retry'; retryInMs: number; slowDown: boolean }
  | { kind: 'defer_user_limit'; retryInMs: number }
  | { kind: 'failed'; reason: FailureReason }
  | { kind: 'marketing_stopped' }
  /** The call was refused for the campaign, not for the recipient: it goes back to the queue, not counted as sent. */
  | { kind: 'pause'; reason: PauseReason };

export type FailureReason = 'undeliverable' | 'marketing_stopped' | 'user_limit' | 'rejected' | 'retries_exhausted' | 'interrupted';

export const CODES = {
  throughput: 130429,
  pairRate: 131056,
  spamRate: 131048,
  userLimit: 131049,
  marketingStopped: 131050,
  undeliverable: 131026,
  token: 190,
  permission: 10,
  permissionDenied: 200,
  templateMissing: 132001,
  templatePaused: 132015,
  templateDisabled: 132016,
  accountLocked: 131031,
  policyBlock: 368,
  notRegistered: 133010,
} as const;

/** After this many calls that Meta answered with a temporary error, the recipient is given up as failed. */
export const MAX_ATTEMPTS = 8;
/** Deferrals after Meta's per-user marketing limit before the recipient fails. */
export const MAX_LIMIT_DEFERRALS = 2;
export const DAY_MS = 24 * 60 * 60 * 1000;

/** Exponential backoff with a cap: 2 s, 4 s, 8 s ... 5 min; Meta's Retry-After wins when it says longer. */
export function backoffMs(attempts: number, retryAfterSeconds?: number): number {
  const exponential = Math.min(300_000, 1000 * 2 ** Math.max(1, attempts));
  return Math.max(exponential, (retryAfterSeconds ?? 0) * 1000);
}

/** The reason a failed status or answer gives a recipient, from Meta's code. */
export function failureReason(code: number | null): FailureReason {
  if (code === CODES.undeliverable) return 'undeliverable';
  if (code === CODES.marketingStopped) return 'marketing_stopped';
  if (code === CODES.userLimit) return 'user_limit';
  return 'rejected';
}

/**
 * The outcome of one call. `attempts` counts this call; `limitDeferrals` the 131049s before it.
 */
export function outcomeOf(answer: SendAnswer, attempts: number, limitDeferrals: number): Outcome {
  if (answer.ok) return { kind: 'sent', messageId: answer.messageId };
  const { code, httpStatus } = answer;
  if (code === CODES.token || code === CODES.permission || code === CODES.permissionDenied || httpStatus === 401 || httpStatus === 403)
    return { kind: 'pause', reason: 'auth' };
  if (code === CODES.templateMissing || code === CODES.templatePaused || code === CODES.templateDisabled)
    return { kind: 'pause', reason: 'template' };
  if (code === CODES.accountLocked || code === CODES.policyBlock || code === CODES.notRegistered)
    return { kind: 'pause', reason: 'account' };
  if (code === CODES.marketingStopped) return { kind: 'marketing_stopped' };
  if (code === CODES.undeliverable) return { kind: 'failed', reason: 'undeliverable' };
  if (code === CODES.userLimit)
    return limitDeferrals < MAX_LIMIT_DEFERRALS
      ? { kind: 'defer_user_limit', retryInMs: DAY_MS }
      : { kind: 'failed', reason: 'user_limit' };
  const rateLimited = code === CODES.throughput || code === CODES.pairRate || code === CODES.spamRate || httpStatus === 429;
  // Meta down or unreachable: the request was not taken, and the campaign slows down until it answers again.
  const temporary = rateLimited || httpStatus === 0 || httpStatus >= 500;
  if (temporary) {
    if (attempts >= MAX_ATTEMPTS) return { kind: 'failed', reason: 'retries_exhausted' };
    return { kind: 'retry', retryInMs: backoffMs(attempts, answer.retryAfterSeconds), slowDown: true };
  }
  return { kind: 'failed', reason: 'rejected' };
}

/** What the banner of a paused campaign tells the user to fix. */
export const PAUSE_REASONS = ['auth', 'template', 'account', 'manual'] as const;
