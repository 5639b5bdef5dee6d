// The transaction of the API's writes: Idempotency-Key claims, the endpoint's work, an audit entry per call and the
// answers kept for replay. A shop's checkout records consent in bursts; each transaction costs a BEGIN, a COMMIT with
// its WAL flush and coverage upkeep, and round trips whose cost is mostly not their statements'. So an endpoint that can
// do several calls' work at once (runMany) has the calls that arrive while its transactions run written together, each
// answered as if it had been alone.
import type { Queryable } from '@/db';
import { mayHaveCommitted, retryRaceOrDeadlock } from '@/db/errors';
import { withPreparedStatements } from '@/db/prepared';
import type { AuditInput } from '@/lib/audit/write';
import { writeAudits } from '@/lib/audit/write';
import { logger } from '@/lib/log';
import type { ApiOutcome } from './consent';
import { claimIdempotencyKey, storeIdempotentAnswer } from './idempotency';
import type { ApiCaller } from './keys';
import { PROBLEMS, problemBody } from './problem';
import { callAudit } from './usage';

export type WriteOutcome = ApiOutcome<unknown> & { status?: number; audit?: Record<string, unknown> };

/** A checked call of a write endpoint: who sent it, its parsed body, its Idempotency-Key and the hash of the request. */
export type WriteCall<Input> = { caller: ApiCaller; input: Input; idempotencyKey: string | null; hash: string };

/** What a call is answered; replayed from an earlier call with its Idempotency-Key; null when that key was used for another request. */
export type Written = { status: number; body: unknown; replayed: boolean } | null;

export type WriteWork<Input> = {
  /** The audit action, `api.<action>`. */
  action: string;
} & (
  | {
      /** Runs inside the transaction; a refusal is answered (and audited) as a problem. */
      run: (tx: Queryable, input: Input, caller: ApiCaller) => Promise<WriteOutcome>;
      runMany?: never;
    }
  | {
      /** Several calls' work at once, in one transaction, each outcome what the calls one by one would get. */
      runMany: (tx: Queryable, calls: ReadonlyArray<{ input: Input; caller: ApiCaller }>) => Promise<WriteOutcome[]>;
      /** Whether a call may share its transaction with others; one that takes locks beyond runMany's order goes alone. */
      groupable: (input: Input) => boolean;
      run?: never;
    }
);

/** The calls in one transaction: all of them written, or none. */
export async function writeCalls<Input>(db: Queryable, work: WriteWork<Input>, calls: ReadonlyArray<WriteCall<Input>>): Promise<Written[]> {
  // The same few statements, thousands of times: prepared, they are planned once and go out together.
  return withPreparedStatements(() =>
    db.transaction(async (tx) => {
      const written: Written[] = calls.map(() => null);
      const audits: AuditInput[] = [];
      // Claimed in key order, so that two transactions claiming some of the same keys wait for each other, never deadlock.
      const keyed = calls.flatMap((call, i) => (call.idempotencyKey === null ? [] : [i]));
      const keyOf = (i: number) => calls[i]!.idempotencyKey!;
      keyed.sort((a, b) => calls[a]!.caller.id - calls[b]!.caller.id || (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
      const claims = new Map(
        await Promise.all(
          keyed.map(async (i) => {
            const { caller, idempotencyKey, hash } = calls[i]!;
            return [i, await claimIdempotencyKey(tx, caller.id, idempotencyKey!, hash)] as const;
          }),
        ),
      );
      const fresh: number[] = [];
      calls.forEach((call, i) => {
        const claim = claims.get(i);
        if (!claim || claim.claimed) return void fresh.push(i);
        if (claim.mismatch) return;
        written[i] = { status: claim.status, body: claim.body, replayed: true };
        audits.push(callAudit(call.caller, work.action, claim.status, { replayed: true }));
      });

      const freshCalls = fresh.map((i) => calls[i]!);
      const outcomes: WriteOutcome[] = [];
      if (work.runMany) outcomes.push(...(await work.runMany(tx, freshCalls)));
      else for (const call of freshCalls) outcomes.push(await work.run!(tx, call.input, call.caller));
      const stores: Array<Promise<void>> = [];
      fresh.forEach((i, n) => {
        const { caller, idempotencyKey } = calls[i]!;
        const outcome = outcomes[n]!;
        const status = outcome.ok ? (outcome.status ?? 200) : PROBLEMS[outcome.problem].status;
        const body = outcome.ok ? outcome.answer : problemBody(outcome.problem, outcome.detail, outcome.errors);
        written[i] = { status, body, replayed: false };
        audits.push(
          callAudit(caller, work.action, status, outcome.ok ? (outcome.audit ?? {}) : { problem: PROBLEMS[outcome.problem].type }),
        );
        if (idempotencyKey !== null) stores.push(storeIdempotentAnswer(tx, caller.id, idempotencyKey, status, body));
      });
      await Promise.all([writeAudits(tx, audits), ...stores]);
      return written;
    }),
  );
}

/**
 * One call alone. When two calls create the same customer at once, the one that lost the race looks again and finds
 * it; one chosen as a deadlock's victim (against a group that locks some of the same customers) goes again.
 */
async function writeAlone<Input>(db: Queryable, work: WriteWork<Input>, call: WriteCall<Input>): Promise<Written> {
  return (await retryRaceOrDeadlock(() => writeCalls(db, work, [call])))[0]!;
}

/** At most this many calls share a transaction. */
export const GROUP_MAX_CALLS = 32;
/** Transactions of grouped calls an instance runs at once per endpoint; the calls that arrive meanwhile wait for the next. */
export const GROUPS_AT_ONCE = 2;

type Waiting<Input> = { call: WriteCall<Input>; resolve: (written: Written) => void; reject: (error: unknown) => void };

/**
 * Writes each call as soon as fewer than GROUPS_AT_ONCE transactions of the endpoint run, together with the calls that
 * wait. A group that fails (a deadlock, a bug in one call) is written again call by call, so that a call fails for its
 * own reason only; unless the connection was lost, when the group may have committed and its calls fail as they are.
 */
export function writeGrouped<Input>(db: () => Promise<Queryable>, work: WriteWork<Input>): (call: WriteCall<Input>) => Promise<Written> {
  if (!work.runMany) return async (call) => writeAlone(await db(), work, call);
  const { groupable } = work;
  const waiting: Array<Waiting<Input>> = [];
  let running = 0;

  const runGroup = async (group: Array<Waiting<Input>>): Promise<void> => {
    const q = await db();
    if (group.length > 1) {
      try {
        const written = await writeCalls(
          q,
          work,
          group.map((w) => w.call),
        );
        return group.forEach((w, i) => w.resolve(written[i]!));
      } catch (error) {
        if (mayHaveCommitted(error)) return group.forEach((w) => w.reject(error));
        logger.warn({ err: error, calls: group.length, action: work.action }, 'grouped API writes failed; writing them one by one');
      }
    }
    for (const w of group) await writeAlone(q, work, w.call).then(w.resolve, w.reject);
  };

  const next = (): void => {
    while (running < GROUPS_AT_ONCE && waiting.length > 0) {
      const group = takeGroup(waiting);
      running += 1;
      void runGroup(group)
        .catch((error: unknown) => group.forEach((w) => w.reject(error)))
        .finally(() => {
          running -= 1;
          next();
        });
    }
  };

  return async (call) => {
    if (!groupable(call.input)) return writeAlone(await db(), work, call);
    return new Promise<Written>((resolve, reject) => {
      waiting.push({ call, resolve, reject });
      next();
    });
  };
}

/**
 * The next group, in order of arrival: a call whose key and Idempotency-Key is already in the group waits for the next
 * one, where it finds what its twin committed and replays it.
 */
function takeGroup<Input>(waiting: Array<Waiting<Input>>): Array<Waiting<Input>> {
  const group: Array<Waiting<Input>> = [];
  const keys = new Set<string>();
  for (let i = 0; i < waiting.length && group.length < GROUP_MAX_CALLS;) {
    const { call } = waiting[i]!;
    const key = call.idempotencyKey === null ? null : `${call.caller.id}\n${call.idempotencyKey}`;
    if (key !== null && keys.has(key)) {
      i += 1;
      continue;
    }
    if (key !== null) keys.add(key);
    group.push(...waiting.splice(i, 1));
  }
  return group;
}
