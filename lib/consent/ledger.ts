// Folding the consent ledger into the current state of one customer, channel and purpose.
import type { ConsentState, LedgerEvent } from './types';
import { IMPORT_SOURCE, UNKNOWN_STATE } from './types';

// At the same instant a withdrawal is applied last, so it wins: doubt goes the customer's way.
const KIND_ORDER = { granted: 0, confirmed: 1, withdrawn: 2 } as const;

export function compareEvents(a: LedgerEvent, b: LedgerEvent): number {
  return a.occurredAt.getTime() - b.occurredAt.getTime() || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.id - b.id;
}

/** Applies one event to a state, assuming events arrive in ledger order. */
export function applyEvent(state: ConsentState, event: LedgerEvent): ConsentState {
  const touched = { lastEventId: event.id, lastOccurredAt: event.occurredAt, source: event.source };
  switch (event.kind) {
    case 'granted': {
      // Only a new act of the customer re-opens a withdrawn channel, never bulk data.
      if (state.status === 'withdrawn' && event.source === IMPORT_SOURCE) return state;
      return {
        ...touched,
        status: event.doubleOptIn ? 'pending_confirmation' : 'granted',
        grantedAt: event.occurredAt,
        confirmedAt: null,
        withdrawnAt: null,
      };
    }
    case 'confirmed': {
      // A confirmation only completes a grant in force; it never revives a withdrawn or absent one.
      if (state.status !== 'pending_confirmation' && state.status !== 'granted') return state;
      return { ...state, ...touched, status: 'granted', confirmedAt: event.occurredAt };
    }
    case 'withdrawn':
      return { ...touched, status: 'withdrawn', grantedAt: null, confirmedAt: null, withdrawnAt: event.occurredAt };
  }
}

/** The state that the ledger of one customer, channel and purpose ends in, whatever order the events were recorded in. */
export function foldLedger(events: readonly LedgerEvent[]): ConsentState {
  return [...events].sort(compareEvents).reduce(applyEvent, UNKNOWN_STATE);
}

/** The state as it was at a moment in the past: only events that had occurred by then count. */
export function stateAsOf(events: readonly LedgerEvent[], asOf: Date): ConsentState {
  return foldLedger(events.filter((e) => e.occurredAt.getTime() <= asOf.getTime()));
}

export type TimelineEntry = { from: Date; state: ConsentState };

/**
 * The states a ledger passed through, each from the moment of the event that brought it about.
 * Events that changed nothing (an imported grant after a withdrawal, a stray confirmation) leave no entry.
 */
export function ledgerTimeline(events: readonly LedgerEvent[]): TimelineEntry[] {
  const timeline: TimelineEntry[] = [];
  let state = UNKNOWN_STATE;
  for (const event of [...events].sort(compareEvents)) {
    const next = applyEvent(state, event);
    if (next === state) continue;
    state = next;
    const last = timeline[timeline.length - 1];
    // Several changes at the same instant leave only the last one standing.
    if (last && last.from.getTime() === event.occurredAt.getTime()) last.state = state;
    else timeline.push({ from: event.occurredAt, state });
  }
  return timeline;
}
