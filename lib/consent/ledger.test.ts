import { describe, expect, it } from 'vitest';
import { foldLedger, ledgerTimeline, stateAsOf } from './ledger';
import type { EventKind, LedgerEvent, Status } from './types';

let nextId = 1;
function ev(kind: EventKind, day: string, source = 'web_form', doubleOptIn = false): LedgerEvent {
  return { id: nextId++, kind, occurredAt: new Date(`${day}T12:00:00Z`), source, doubleOptIn };
}
const grant = (day: string, source?: string) => ev('granted', day, source);
const grantDoi = (day: string) => ev('granted', day, 'web_form', true);
const confirm = (day: string) => ev('confirmed', day, 'double_opt_in');
const withdraw = (day: string, source = 'support_call') => ev('withdrawn', day, source);

// Each row: a rule in words, the ledger as recorded (in recording order), and the state it must end in.
const rows: Array<[rule: string, events: LedgerEvent[], status: Status]> = [
  ['no events: unknown', [], 'unknown'],
  ['a grant without double opt-in: granted', [grant('2026-01-01')], 'granted'],
  ['a double opt-in grant waits for confirmation', [grantDoi('2026-01-01')], 'pending_confirmation'],
  ['confirmation completes a double opt-in', [grantDoi('2026-01-01'), confirm('2026-01-02')], 'granted'],
  ['a withdrawal closes the channel', [grant('2026-01-01'), withdraw('2026-02-01')], 'withdrawn'],
  ['a withdrawal alone is recorded as withdrawn', [withdraw('2026-02-01')], 'withdrawn'],
  ['an older grant recorded later cannot overturn a withdrawal', [withdraw('2026-02-01'), grant('2026-01-01')], 'withdrawn'],
  ['a later evidenced grant re-opens the channel', [withdraw('2026-02-01'), grant('2026-03-01')], 'granted'],
  ['a later imported grant never re-opens a withdrawal', [withdraw('2026-02-01'), grant('2026-03-01', 'import')], 'withdrawn'],
  ['an imported grant on an unknown channel counts', [grant('2026-03-01', 'import')], 'granted'],
  ['grant and withdrawal at the same instant: withdrawal wins', [withdraw('2026-02-01'), grant('2026-02-01')], 'withdrawn'],
  ['same instant, recorded the other way round: withdrawal still wins', [grant('2026-02-01'), withdraw('2026-02-01')], 'withdrawn'],
  ['a confirmation never revives a withdrawn grant', [grantDoi('2026-01-01'), withdraw('2026-01-02'), confirm('2026-01-03')], 'withdrawn'],
  ['a confirmation without a grant changes nothing', [confirm('2026-01-03')], 'unknown'],
  ['a confirmation dated before its grant does not count', [grantDoi('2026-01-05'), confirm('2026-01-03')], 'pending_confirmation'],
  [
    'a new double opt-in grant after a confirmed one waits again',
    [grantDoi('2026-01-01'), confirm('2026-01-02'), grantDoi('2026-03-01')],
    'pending_confirmation',
  ],
  [
    'withdrawal between grant and confirmation: stays withdrawn',
    [grantDoi('2026-01-01'), withdraw('2026-01-02'), confirm('2026-01-03')],
    'withdrawn',
  ],
  [
    'out-of-order delivery ends where the timeline ends',
    [withdraw('2026-05-01'), grant('2026-04-01'), grant('2026-06-01'), withdraw('2026-03-01')],
    'granted',
  ],
  [
    'withdraw, re-grant, withdraw again: withdrawn',
    [grant('2026-01-01'), withdraw('2026-02-01'), grant('2026-03-01'), withdraw('2026-04-01')],
    'withdrawn',
  ],
];

describe('foldLedger', () => {
  it.each(rows)('%s', (_rule, events, status) => {
    expect(foldLedger(events).status).toBe(status);
  });

  it('keeps the dates of the grant in force', () => {
    const state = foldLedger([grantDoi('2026-01-01'), confirm('2026-01-02')]);
    expect(state.grantedAt?.toISOString()).toBe('2026-01-01T12:00:00.000Z');
    expect(state.confirmedAt?.toISOString()).toBe('2026-01-02T12:00:00.000Z');
    expect(state.withdrawnAt).toBeNull();
  });

  it('does not depend on the order the events were recorded in', () => {
    const events = [grantDoi('2026-01-01'), confirm('2026-01-02'), withdraw('2026-02-01'), grant('2026-03-01')];
    const reversed = [...events].reverse();
    expect(foldLedger(reversed)).toEqual(foldLedger(events));
  });
});

describe('stateAsOf', () => {
  const events = [grant('2026-01-01'), withdraw('2026-02-01')];
  it.each([
    ['before any event: unknown', '2025-12-31', 'unknown'],
    ['after the grant: granted', '2026-01-15', 'granted'],
    ['after the withdrawal: withdrawn', '2026-02-02', 'withdrawn'],
  ] as const)('%s', (_rule, day, status) => {
    expect(stateAsOf(events, new Date(`${day}T23:59:59Z`)).status).toBe(status);
  });
});

describe('ledgerTimeline', () => {
  it('lists each change of state from the moment it happened, skipping events that changed nothing', () => {
    const timeline = ledgerTimeline([
      grantDoi('2026-01-01'),
      confirm('2026-01-02'),
      withdraw('2026-02-01'),
      grant('2026-03-01', 'import'),
      confirm('2026-03-02'),
      grant('2026-04-01'),
    ]);
    expect(timeline.map((t) => [t.from.toISOString().slice(0, 10), t.state.status])).toEqual([
      ['2026-01-01', 'pending_confirmation'],
      ['2026-01-02', 'granted'],
      ['2026-02-01', 'withdrawn'],
      ['2026-04-01', 'granted'],
    ]);
  });

  it('keeps only the last change at one instant', () => {
    const timeline = ledgerTimeline([grant('2026-02-01'), withdraw('2026-02-01')]);
    expect(timeline.map((t) => t.state.status)).toEqual(['withdrawn']);
  });

  it('ends in the same state as the fold', () => {
    const events = [withdraw('2026-05-01'), grant('2026-04-01'), grant('2026-06-01'), withdraw('2026-03-01')];
    expect(ledgerTimeline(events).at(-1)?.state).toEqual(foldLedger(events));
  });
});
