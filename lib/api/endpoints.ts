// The endpoints of /api/v1, bound to a database: the route files bind them to the app's, the tests to their own.
import type { Queryable } from '@/db';
import { recordApiConsent } from './consent';
import { upsertCustomer } from './customers';
import { decide } from './decision';
import { readEndpoint, writeEndpoint } from './handler';
import { consentEventInputSchema, customerInputSchema, decisionQuerySchema } from './schemas';

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
      run: async (tx, input, caller) => {
        const result = await recordApiConsent(tx, input, caller);
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
      },
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
