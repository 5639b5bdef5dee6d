// The endpoints of /api/v1, bound to a database: the route files bind them to the app's, the tests to their own.
import type { Queryable } from '@/db';
import type { ApiOutcome } from './consent';
import { recordApiConsents } from './consent';
import { upsertCustomer } from './customers';
import { decide } from './decision';
import { readEndpoint, writeEndpoint } from './handler';
import type { ConsentEventInput, ConsentEventResult } from './schemas';
import { consentEventInputSchema, customerInputSchema, decisionQuerySchema } from './schemas';
import type { WriteOutcome } from './writes';

/** A recorded event is created (201); its audit entry names the events and customers it wrote. */
function consentOutcome(input: ConsentEventInput, result: ApiOutcome<ConsentEventResult>): WriteOutcome {
  if (!result.ok) return result;
  return {
    ...result,
    status: 201,
    audit: {
      kind: input.kind,
      channel: input.channel,
      purposes: input.purposes,
      customerIds: result.answer.customerIds,
      eventIds: result.answer.events.flatMap((e) => (e.id === null ? [] : [e.id])),
    },
  };
}

export function apiEndpoints(db: () => Promise<Queryable>) {
  return {
    upsertCustomer: writeEndpoint({
      db,
      scope: 'customers:write',
      action: 'customer.upsert',
      schema: customerInputSchema,
      run: async (tx, input) => {
        const result = await upsertCustomer(tx, input);
        if (!result.ok) return result;
        const { customer, changed } = result;
        return {
          ok: true,
          answer: customer,
          status: customer.created ? 201 : 200,
          audit: { customerId: customer.id, created: customer.created, fields: changed },
        };
      },
    }),
    recordConsent: writeEndpoint({
      db,
      scope: 'consent:write',
      action: 'consent.record',
      schema: consentEventInputSchema,
      // A withdrawal reaches contact points and suppressions, whose locks come before any customer's: it goes alone.
      groupable: (input) => input.kind !== 'withdrawn',
      runMany: async (tx, calls) => (await recordApiConsents(tx, calls)).map((result, i) => consentOutcome(calls[i]!.input, result)),
    }),
    decision: readEndpoint({
      db,
      scope: 'decisions:read',
      schema: decisionQuerySchema,
      run: (q, input) => decide(q, input),
      outcome: (answer) => (answer.allowed ? 'allowed' : 'blocked'),
    }),
  };
}
