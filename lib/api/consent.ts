// Recording a consent event through the API, with the same rules as everywhere: a grant needs evidence, and a
// withdrawal through an e-mail or phone reaches every record holding it and suppresses the contact point.
import { randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Queryable } from '@/db';
import type { ConsentEvidence } from '@/db/schema';
import { customers } from '@/db/schema';
import type { Channel, Purpose } from '@/lib/consent';
import { PURPOSES } from '@/lib/consent';
import type { RecordConsentInput, RecordedEvent } from '@/lib/consent-store/record';
import { refusalOf, writeConsentEvents } from '@/lib/consent-store/record';
import type { ContactKind } from '@/lib/suppressions';
import { customersHolding, withdrawContactPoint } from '@/lib/suppressions/contact-point';
import type { ApiCaller } from './keys';
import type { FieldError, ProblemName } from './problem';
import type { ConsentEventInput, ConsentEventResult, CustomerRef } from './schemas';

export type ApiOutcome<T> = { ok: true; answer: T } | { ok: false; problem: ProblemName; detail: string; errors?: FieldError[] };

type Refused = Extract<ApiOutcome<never>, { ok: false }>;

type Holder = { id: number; email: string | null; phone: string | null; erasedAt: Date | null };

/** The contact point a channel reaches a customer through. */
export const contactKindOf = (channel: Channel): ContactKind => (channel === 'email' ? 'email' : 'phone');

/** The customers a reference names: one for an id or external id; every record (not erased) holding an e-mail or phone. */
export async function customersOf(q: Queryable, ref: CustomerRef): Promise<Holder[]> {
  const columns = { id: customers.id, email: customers.email, phone: customers.phone, erasedAt: customers.erasedAt };
  if (ref.by === 'id' || ref.by === 'externalId') {
    const where = ref.by === 'id' ? eq(customers.id, ref.customerId) : eq(customers.externalId, ref.externalId);
    return q.select(columns).from(customers).where(where);
  }
  const where = ref.by === 'email' ? eq(customers.email, ref.email) : eq(customers.phone, ref.phone);
  return q
    .select(columns)
    .from(customers)
    .where(and(where, isNull(customers.erasedAt)))
    .orderBy(customers.id);
}

const REFUSALS: Record<string, { field: string }> = {
  missing_evidence: { field: 'evidence' },
  missing_source: { field: 'source' },
  in_future: { field: 'occurredAt' },
};

function answerOf(events: readonly RecordedEvent[], inputs: readonly RecordConsentInput[], suppressed: boolean): ConsentEventResult {
  return {
    customerIds: [...new Set(inputs.map((i) => i.customerId))],
    events: events.map((e, i) => ({
      id: e.eventId,
      customerId: inputs[i]!.customerId,
      channel: inputs[i]!.channel,
      purpose: inputs[i]!.purpose,
      status: e.state.status,
    })),
    suppressed,
  };
}

/** The customer a call names for an event of its own, or why the call is refused. */
function holderOf(input: ConsentEventInput, holders: readonly Holder[]): { ok: true; holder: Holder } | Refused {
  if (holders.length === 0) return { ok: false, problem: 'notFound', detail: 'No customer matches.' };
  if (holders.length > 1) {
    return {
      ok: false,
      problem: 'ambiguous',
      detail: `Several customers have this ${input.ref.by}; name the customer by customerId or externalId.`,
    };
  }
  if (holders[0]!.erasedAt) return { ok: false, problem: 'erased', detail: 'This customer was erased.' };
  return { ok: true, holder: holders[0]! };
}

const evidenceOf = (input: ConsentEventInput, caller: ApiCaller): ConsentEvidence => ({ ...input.evidence, apiKey: caller.name });

/** Records the event inside the caller's transaction. */
export async function recordApiConsent(
  tx: Queryable,
  input: ConsentEventInput,
  caller: ApiCaller,
  now: Date = new Date(),
): Promise<ApiOutcome<ConsentEventResult>> {
  const holders = await customersOf(tx, input.ref);
  if (input.kind !== 'withdrawn') return (await recordNamed(tx, [{ input, caller, holders }], now))[0]!;
  const evidence = evidenceOf(input, caller);
  const kind = contactKindOf(input.channel);
  // A withdrawal named by the contact point of its own channel is that person's: it reaches every record holding it,
  // and the contact point is suppressed even when no record holds it yet.
  const throughContact = (input.ref.by === 'email' && kind === 'email') || (input.ref.by === 'phone' && kind === 'phone');
  if (!throughContact) {
    const named = holderOf(input, holders);
    if (!named.ok) return named;
  }
  const contact = throughContact
    ? input.ref.by === 'email'
      ? input.ref.email
      : (input.ref as { phone: string }).phone
    : kind === 'email'
      ? holders[0]!.email
      : holders[0]!.phone;

  if (contact) {
    const all = input.purposes.length === PURPOSES.length;
    if (all || input.purposes[0] === 'marketing') {
      const result = await withdrawContactPoint(
        tx,
        {
          kind,
          value: contact,
          channels: [input.channel],
          purposes: all ? 'all' : 'marketing',
          occurredAt: input.occurredAt,
          source: input.source,
          evidence,
          keyBase: `api:${randomUUID()}`,
          reason: input.evidence.reason ?? `withdrawn through the API (key ${caller.name})`,
        },
        null,
        now,
      );
      if (!result.ok) return refusal(result.code, result.message);
      const inputs = result.customerIds.flatMap((customerId) =>
        input.purposes.map((purpose) => ({ customerId, channel: input.channel, purpose }) as RecordConsentInput),
      );
      return { ok: true, answer: answerOf(result.events, inputs, true) };
    }
    // A suppression remembers marketing or every purpose; a transactional-only withdrawal reaches the holders alone.
    const ids = (await customersHolding(tx, kind, [contact])).values().next().value ?? [];
    const inputs = eventInputs(ids, input, evidence);
    const { events } = await writeConsentEvents(tx, inputs, null);
    return { ok: true, answer: answerOf(events, inputs, false) };
  }
  return (await recordNamed(tx, [{ input, caller, holders }], now))[0]!;
}

/**
 * Records several calls' events inside the caller's transaction, each answered as recordApiConsent would answer it
 * had the calls come one by one in this order. Grants and confirmations are written together (recordNamed); a
 * withdrawal among them reaches contact points and suppressions, whose locks come first, so then each goes alone.
 */
export async function recordApiConsents(
  tx: Queryable,
  calls: ReadonlyArray<{ input: ConsentEventInput; caller: ApiCaller }>,
  now: Date = new Date(),
): Promise<Array<ApiOutcome<ConsentEventResult>>> {
  if (calls.some((c) => c.input.kind === 'withdrawn')) {
    const outcomes: Array<ApiOutcome<ConsentEventResult>> = [];
    for (const { input, caller } of calls) outcomes.push(await recordApiConsent(tx, input, caller, now));
    return outcomes;
  }
  const holders = await Promise.all(calls.map(({ input }) => customersOf(tx, input.ref)));
  return recordNamed(
    tx,
    calls.map((call, i) => ({ ...call, holders: holders[i]! })),
    now,
  );
}

/**
 * The events of several calls that each name one customer (grants, confirmations, a withdrawal without a contact point
 * to reach), with the records their references found: one lock of their customers (in id order),
 * one projection and one set of audit entries; a customer named by several calls is written in rounds, one of its calls
 * per round, in the calls' order.
 */
async function recordNamed(
  tx: Queryable,
  calls: ReadonlyArray<{ input: ConsentEventInput; caller: ApiCaller; holders: readonly Holder[] }>,
  now: Date,
): Promise<Array<ApiOutcome<ConsentEventResult>>> {
  const outcomes: Array<ApiOutcome<ConsentEventResult>> = [];
  const rounds: Array<Array<{ call: number; inputs: RecordConsentInput[] }>> = [];
  const roundsOf = new Map<number, number>();
  for (const [i, { input, caller, holders }] of calls.entries()) {
    const named = holderOf(input, holders);
    if (!named.ok) {
      outcomes[i] = named;
      continue;
    }
    const inputs = eventInputs([named.holder.id], input, evidenceOf(input, caller));
    const refused = inputs.map((x) => refusalOf(x, now)).find((r) => r !== null);
    if (refused) {
      outcomes[i] = refusal(refused.code, refused.message);
      continue;
    }
    const round = roundsOf.get(named.holder.id) ?? 0;
    roundsOf.set(named.holder.id, round + 1);
    (rounds[round] ??= []).push({ call: i, inputs });
  }
  for (const round of rounds) {
    const { events } = await writeConsentEvents(
      tx,
      round.flatMap((r) => r.inputs),
      null,
    );
    let at = 0;
    for (const { call, inputs } of round) {
      outcomes[call] = { ok: true, answer: answerOf(events.slice(at, at + inputs.length), inputs, false) };
      at += inputs.length;
    }
  }
  return outcomes;
}

function eventInputs(customerIds: readonly number[], input: ConsentEventInput, evidence: ConsentEvidence): RecordConsentInput[] {
  return customerIds.flatMap((customerId) =>
    input.purposes.map((purpose: Purpose): RecordConsentInput => ({
      customerId,
      channel: input.channel,
      purpose,
      kind: input.kind,
      occurredAt: input.occurredAt,
      source: input.source,
      evidence,
    })),
  );
}

function refusal(code: string, message: string): Refused {
  if (code === 'customer_not_found') return { ok: false, problem: 'notFound', detail: message };
  const field = REFUSALS[code]?.field ?? '(body)';
  return { ok: false, problem: 'invalid', detail: message, errors: [{ field, detail: message }] };
}
