// The OpenAPI 3.1 document of /api/v1, generated from the zod schemas the handlers parse and answer with.
import { API_SCOPES } from './keys';
import { MAX_BODY_BYTES } from './handler';
import { IDEMPOTENCY_HOURS } from './idempotency';
import { PROBLEMS } from './problem';
import {
  consentEventInputSchema,
  consentEventResultSchema,
  customerInputSchema,
  customerSchema,
  decisionParams,
  decisionSchema,
  problemSchema,
} from './schemas';
import { z } from '@/lib/zod';

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

/** Component schemas from a registry, with the given direction (a request as sent, an answer as received). */
function components(entries: Array<[z.ZodType, string]>, io: 'input' | 'output'): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const [schema, id] of entries) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { io, target: 'draft-2020-12', unrepresentable: 'any', uri: (id) => ref(id).$ref });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _schema, $id: _id, ...rest } = schema as Record<string, unknown>;
      return [id, rest];
    }),
  );
}

type Name = keyof typeof PROBLEMS;

function problems(names: Name[]): Record<string, unknown> {
  const byStatus = new Map<number, string[]>();
  for (const name of names) byStatus.set(PROBLEMS[name].status, [...(byStatus.get(PROBLEMS[name].status) ?? []), PROBLEMS[name].title]);
  return Object.fromEntries(
    [...byStatus].map(([status, titles]) => [
      String(status),
      {
        description: titles.join('; '),
        content: { 'application/problem+json': { schema: ref('Problem') } },
        ...(status === 429 ? { headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } } } : {}),
        ...(status === 401 ? { headers: { 'WWW-Authenticate': { schema: { type: 'string' } } } } : {}),
      },
    ]),
  );
}

const COMMON: Name[] = ['unauthorized', 'forbidden', 'rateLimited', 'internal'];
const WRITE: Name[] = [...COMMON, 'malformed', 'invalid', 'idempotencyReused', 'tooLarge', 'unsupported'];

const idempotencyHeader = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: `Any unique string (a UUID) per logical request: a retry with the same key and body within ${IDEMPOTENCY_HOURS} hours replays the first answer (header Idempotent-Replayed: true) and writes nothing; the same key with another body is refused with 422.`,
  schema: { type: 'string', minLength: 1, maxLength: 255 },
};

const scopeNote = (scope: string) => `Needs an API key with the scope \`${scope}\`.`;

const json = (status: string, description: string, id: string) => ({
  [status]: { description, content: { 'application/json': { schema: ref(id) } } },
});

let cached: object | null = null;

export function openApiDocument(): object {
  if (cached) return cached;
  const parameterSchemas = components(
    Object.entries(decisionParams.shape).map(([name, schema]) => [schema as z.ZodType, `param_${name}`]),
    'input',
  );
  const parameters = Object.keys(decisionParams.shape).map((name) => {
    const schema = parameterSchemas[`param_${name}`] as { description?: string };
    return {
      name,
      in: 'query',
      required: name === 'channel' || name === 'purpose',
      schema,
      ...(schema.description ? { description: schema.description } : {}),
    };
  });
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'Zgoda consent API',
      version: '1',
      description: [
        'Record what customers consented to, with evidence, and ask before each send whether a message may go.',
        'Authenticate with `Authorization: Bearer <key>`; keys are made by admins under Settings → API.',
        `Errors are RFC 9457 problem details (application/problem+json) with \`errors\` naming the fields. Bodies are JSON, at most ${MAX_BODY_BYTES / 1024} KiB.`,
        'Each key is rate-limited; 429 answers carry Retry-After.',
      ].join('\n\n'),
    },
    servers: [{ url: '/api/v1' }],
    security: [{ apiKey: [] }],
    paths: {
      '/customers': {
        post: {
          operationId: 'upsertCustomer',
          summary: 'Create or update a customer',
          description: `${scopeNote('customers:write')} Found by externalId when given, else by email, else by phone; fields left out are kept, null clears them. A contact point suppressed before (a withdrawal, an erasure) brings its withdrawal to the record.`,
          parameters: [idempotencyHeader],
          requestBody: { required: true, content: { 'application/json': { schema: ref('CustomerInput') } } },
          responses: {
            ...json('200', 'Updated.', 'Customer'),
            ...json('201', 'Created.', 'Customer'),
            ...problems([...WRITE, 'ambiguous', 'erased']),
          },
        },
      },
      '/consent-events': {
        post: {
          operationId: 'recordConsentEvent',
          summary: 'Record a grant, confirmation or withdrawal',
          description: `${scopeNote('consent:write')} A grant needs evidence (wording, form version or proof reference). A withdrawal through an e-mail or phone reaches every customer holding it and suppresses it. Events apply in occurredAt order: an older event never overturns a newer one.`,
          parameters: [idempotencyHeader],
          requestBody: { required: true, content: { 'application/json': { schema: ref('ConsentEventInput') } } },
          responses: {
            ...json('201', 'Recorded.', 'ConsentEventResult'),
            ...problems([...WRITE, 'notFound', 'ambiguous', 'erased']),
          },
        },
      },
      '/decision': {
        get: {
          operationId: 'decide',
          summary: 'May this channel and purpose go to this customer now?',
          description: `${scopeNote('decisions:read')} Name the customer by exactly one of customerId, externalId, email or phone.`,
          parameters,
          responses: { ...json('200', 'The decision.', 'Decision'), ...problems([...COMMON, 'invalid', 'notFound']) },
        },
      },
    },
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: `An API key (zgk_...), with one or more scopes: ${API_SCOPES.join(', ')}.` },
      },
      schemas: {
        ...components(
          [
            [customerInputSchema, 'CustomerInput'],
            [consentEventInputSchema, 'ConsentEventInput'],
          ],
          'input',
        ),
        ...components(
          [
            [customerSchema, 'Customer'],
            [consentEventResultSchema, 'ConsentEventResult'],
            [decisionSchema, 'Decision'],
            [problemSchema, 'Problem'],
          ],
          'output',
        ),
      },
    },
  };
  return cached;
}
