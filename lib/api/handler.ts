// The frame of every /api/v1 endpoint: the key (never a session cookie), its scope, the per-key rate limit, the body
// read and checked with the endpoint's zod schema, Idempotency-Key for writes, the audit entry, and problem+json
// answers for everything that goes wrong, with nothing of a driver error or stack in them.
import type { Queryable } from '@/db';
import { logger } from '@/lib/log';
import { readLimitedBody } from '@/lib/whatsapp/body';
import type { z } from '@/lib/zod';
import type { ApiOutcome } from './consent';
import { IDEMPOTENCY_HEADER, IDEMPOTENCY_KEY_PATTERN, requestHash, sweepIdempotencyKeys } from './idempotency';
import type { ApiCaller, ApiScope } from './keys';
import { authenticate, noteKeyUse } from './keys';
import { limitKey } from './limit';
import type { FieldError, ProblemName } from './problem';
import { PROBLEMS, PROBLEM_TYPE, fieldErrorsOfIssues, problemBody } from './problem';
import type { DecisionOutcome } from './usage';
import { auditCall, countDecision } from './usage';
import type { WriteWork } from './writes';
import { writeGrouped } from './writes';

/** A request body larger than this is refused unread: every request of the API is a few hundred bytes. */
export const MAX_BODY_BYTES = 64 * 1024;

const NO_STORE = { 'Cache-Control': 'no-store' };

/**
 * An answer of the API before it is a fetch Response (for Next.js) or written to the socket by the server (server.ts,
 * for the read endpoints, which are called most and whose work is smallest).
 */
export type ApiAnswer = { status: number; headers: Record<string, string>; body: string };

/** What a read endpoint needs of a call. */
export type ApiCall = { authorization: string | null; search: string; path: string; requestId: string | null };

export function answerResponse(answer: ApiAnswer): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}

function jsonAnswer(status: number, body: unknown, headers: Record<string, string> = {}): ApiAnswer {
  return { status, headers: { ...NO_STORE, 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

export function problemAnswer(name: ProblemName, detail?: string, errors?: FieldError[], headers: Record<string, string> = {}): ApiAnswer {
  return {
    status: PROBLEMS[name].status,
    headers: { ...NO_STORE, 'Content-Type': PROBLEM_TYPE, ...headers },
    body: JSON.stringify(problemBody(name, detail, errors)),
  };
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return answerResponse(jsonAnswer(status, body, headers));
}

export function problemResponse(name: ProblemName, detail?: string, errors?: FieldError[], headers: Record<string, string> = {}): Response {
  return answerResponse(problemAnswer(name, detail, errors, headers));
}

type Db = () => Promise<Queryable>;

/** Who calls, allowed to use this endpoint and within their rate; or the answer that says why not. */
async function admit(
  db: Queryable,
  authorization: string | null,
  scope: ApiScope,
): Promise<{ ok: true; caller: ApiCaller } | { ok: false; answer: ApiAnswer }> {
  const auth = await authenticate(db, authorization);
  if (!auth.ok) {
    const detail =
      auth.reason === 'missing'
        ? 'Send the key as Authorization: Bearer <key>.'
        : auth.reason === 'revoked'
          ? 'This API key was revoked.'
          : 'No such API key.';
    return { ok: false, answer: problemAnswer('unauthorized', detail, undefined, { 'WWW-Authenticate': 'Bearer realm="zgoda"' }) };
  }
  const { caller } = auth;
  if (!caller.scopes.includes(scope)) {
    return { ok: false, answer: problemAnswer('forbidden', `This endpoint needs the scope ${scope}.`) };
  }
  const limited = limitKey(caller.id);
  if (!limited.ok) {
    return {
      ok: false,
      answer: problemAnswer('rateLimited', `Try again in ${limited.retryAfterSeconds} s.`, undefined, {
        'Retry-After': String(limited.retryAfterSeconds),
      }),
    };
  }
  await noteKeyUse(db, caller.id);
  return { ok: true, caller };
}

function unexpected(call: Pick<ApiCall, 'path' | 'requestId'>, error: unknown): ApiAnswer {
  logger.error({ err: error, requestId: call.requestId, path: call.path }, 'API request failed');
  return problemAnswer('internal', 'The request could not be completed; nothing of it was saved. Try again.');
}

export type WriteEndpoint<Schema extends z.ZodType> = WriteWork<z.output<Schema>> & {
  db: Db;
  scope: ApiScope;
  schema: Schema;
};

/** A POST endpoint: JSON in, JSON out, every call audited, Idempotency-Key honoured. */
export function writeEndpoint<Schema extends z.ZodType>(endpoint: WriteEndpoint<Schema>) {
  const write = writeGrouped(endpoint.db, endpoint);
  return async (request: Request): Promise<Response> => {
    try {
      const db = await endpoint.db();
      const admitted = await admit(db, request.headers.get('authorization'), endpoint.scope);
      if (!admitted.ok) return answerResponse(admitted.answer);
      const { caller } = admitted;
      const refuse = async (name: ProblemName, detail: string, errors?: FieldError[]) => {
        await auditCall(db, caller, endpoint.action, PROBLEMS[name].status, {
          problem: PROBLEMS[name].type,
          fields: errors?.map((e) => e.field),
        });
        return problemResponse(name, detail, errors);
      };

      const idempotencyKey = request.headers.get(IDEMPOTENCY_HEADER);
      if (idempotencyKey !== null && !IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) {
        return refuse('invalid', 'Idempotency-Key is 1 to 255 printable ASCII characters.', [
          { field: 'Idempotency-Key', detail: 'At most 255 printable ASCII characters.' },
        ]);
      }
      const contentType = request.headers.get('content-type') ?? '';
      if (!/^application\/([\w.+-]+\+)?json\b/i.test(contentType)) return refuse('unsupported', 'Send the body as application/json.');
      const body = await readLimitedBody(request, MAX_BODY_BYTES);
      if (!body.ok) return refuse('tooLarge', `A request body is at most ${MAX_BODY_BYTES / 1024} KiB.`);
      let json: unknown;
      try {
        json = JSON.parse(Buffer.from(body.bytes).toString('utf8'));
      } catch {
        return refuse('malformed', 'The body is not valid JSON.');
      }
      const parsed = endpoint.schema.safeParse(json);
      if (!parsed.success) return refuse('invalid', 'See errors for the fields to fix.', fieldErrorsOfIssues(parsed.error.issues));

      const hash = requestHash(request.method, new URL(request.url).pathname, body.bytes);
      const written = await write({ caller, input: parsed.data, idempotencyKey, hash });
      if (idempotencyKey !== null) await sweepIdempotencyKeys(db);
      if (!written) return refuse('idempotencyReused', 'This Idempotency-Key was used with a different request within 24 hours.');
      return jsonResponseOf(written.status, written.body, written.replayed ? { 'Idempotent-Replayed': 'true' } : {});
    } catch (error) {
      return answerResponse(unexpected(callOf(request), error));
    }
  };
}

/** A stored or fresh answer: a problem keeps its media type. */
function jsonResponseOf(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  if (status >= 400) {
    return new Response(JSON.stringify(body), { status, headers: { ...NO_STORE, 'Content-Type': PROBLEM_TYPE, ...headers } });
  }
  return jsonResponse(status, body, headers);
}

export type ReadEndpoint<Schema extends z.ZodType, T> = {
  db: Db;
  scope: ApiScope;
  schema: Schema;
  run: (db: Queryable, input: z.output<Schema>) => Promise<ApiOutcome<T>>;
  /** How the call counts in the per-minute tally of the audit log. */
  outcome: (answer: T) => DecisionOutcome;
};

/** A GET endpoint answered from the query string; counted per key and minute rather than audited per call. */
export function readEndpoint<Schema extends z.ZodType, T>(endpoint: ReadEndpoint<Schema, T>) {
  const answer = async (call: ApiCall): Promise<ApiAnswer> => {
    try {
      const db = await endpoint.db();
      const admitted = await admit(db, call.authorization, endpoint.scope);
      if (!admitted.ok) return admitted.answer;
      const { caller } = admitted;
      const parsed = endpoint.schema.safeParse(Object.fromEntries(new URLSearchParams(call.search)));
      if (!parsed.success) {
        countDecision(endpoint.db, caller, 'refused');
        return problemAnswer('invalid', 'See errors for the parameters to fix.', fieldErrorsOfIssues(parsed.error.issues));
      }
      const outcome = await endpoint.run(db, parsed.data);
      if (!outcome.ok) {
        countDecision(endpoint.db, caller, outcome.problem === 'notFound' ? 'notFound' : 'refused');
        return problemAnswer(outcome.problem, outcome.detail, outcome.errors);
      }
      countDecision(endpoint.db, caller, endpoint.outcome(outcome.answer));
      return jsonAnswer(200, outcome.answer);
    } catch (error) {
      return unexpected(call, error);
    }
  };
  // The route handler, with the same answer as a bare function for the server (server.ts).
  const handler = async (request: Request): Promise<Response> => answerResponse(await answer(callOf(request)));
  return Object.assign(handler, { answer });
}

function callOf(request: Request): ApiCall {
  const url = new URL(request.url);
  return {
    authorization: request.headers.get('authorization'),
    search: url.search,
    path: url.pathname,
    requestId: request.headers.get('x-request-id'),
  };
}
