// What the audit trail keeps of API calls. Every write is one entry in its own transaction, naming the key. Decisions
// are reads at up to thousands a second: an entry per call would put tens of millions of rows a day into the trail
// and a write into every read, so they are counted per key and minute in memory and written as one entry per key and
// minute (per instance; a crash loses at most the current minute's counts, never a write's entry).
import type { Queryable } from '@/db';
import type { AuditInput } from '@/lib/audit/write';
import { writeAudit, writeAudits } from '@/lib/audit/write';
import { logger } from '@/lib/log';
import { processWide } from '@/lib/process-wide';
import type { ApiCaller } from './keys';

/** One API call's entry: the action, the key by id and name, the status answered and what it concerned. */
export function callAudit(caller: ApiCaller, action: string, status: number, details: Record<string, unknown>): AuditInput {
  return {
    actorId: null,
    action: `api.${action}`,
    entity: 'api_key',
    entityId: caller.id,
    after: { key: caller.name, status, ...details },
  };
}

export async function auditCall(q: Queryable, caller: ApiCaller, action: string, status: number, details: Record<string, unknown>) {
  await writeAudit(q, callAudit(caller, action, status, details));
}

type Tally = { name: string; minute: number; calls: number; allowed: number; blocked: number; notFound: number; refused: number };
export type DecisionOutcome = 'allowed' | 'blocked' | 'notFound' | 'refused';

const MINUTE = 60_000;
const state = processWide('api-decision-tallies', () => ({ tallies: new Map<number, Tally>(), flushTimer: null as NodeJS.Timeout | null }));
const { tallies } = state;

/** The entries of the minutes that are over (all of them with `all`), taken out of the tally. */
function closedMinutes(now: number, all = false): AuditInput[] {
  const entries: AuditInput[] = [];
  for (const [keyId, t] of tallies) {
    if (!all && t.minute === Math.floor(now / MINUTE)) continue;
    tallies.delete(keyId);
    entries.push({
      actorId: null,
      action: 'api.decisions',
      entity: 'api_key',
      entityId: keyId,
      after: {
        key: t.name,
        from: new Date(t.minute * MINUTE).toISOString(),
        to: new Date((t.minute + 1) * MINUTE).toISOString(),
        calls: t.calls,
        allowed: t.allowed,
        blocked: t.blocked,
        notFound: t.notFound,
        refused: t.refused,
      },
    });
  }
  return entries;
}

/** Writes the tallies of finished minutes (or all of them); a failure is logged, and those counts are lost. */
export async function flushDecisionTallies(db: Queryable, all = false, now = Date.now()): Promise<number> {
  const entries = closedMinutes(now, all);
  if (entries.length === 0) return 0;
  try {
    await writeAudits(db, entries);
  } catch (error) {
    logger.error({ err: error, entries: entries.length }, 'API decision counts could not be written to the audit log');
  }
  return entries.length;
}

/** Counts one decision call of a key; a finished minute's tally is written on the next call or within a minute. */
export function countDecision(db: () => Promise<Queryable>, caller: ApiCaller, outcome: DecisionOutcome, now = Date.now()): void {
  const minute = Math.floor(now / MINUTE);
  const current = tallies.get(caller.id);
  if (current && current.minute !== minute) void db().then((q) => flushDecisionTallies(q, false, now));
  const tally =
    current && current.minute === minute
      ? current
      : { name: caller.name, minute, calls: 0, allowed: 0, blocked: 0, notFound: 0, refused: 0 };
  tally.calls++;
  tally[outcome]++;
  tallies.set(caller.id, tally);
  if (!state.flushTimer) {
    // A key that stops calling still gets its last minute written.
    state.flushTimer = setInterval(() => void db().then((q) => flushDecisionTallies(q)), MINUTE);
    state.flushTimer.unref();
  }
}
