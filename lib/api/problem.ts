// Errors of the consent API as RFC 9457 problem details (application/problem+json).
import type { Problem } from './schemas';

export const PROBLEM_TYPE = 'application/problem+json';

/** The problems the API answers with; a `type` of its own where the status alone does not say what went wrong. */
export const PROBLEMS = {
  unauthorized: { status: 401, type: 'urn:zgoda:problem:unauthorized', title: 'Missing, unknown or revoked API key' },
  forbidden: { status: 403, type: 'urn:zgoda:problem:scope', title: 'The API key lacks the scope this endpoint needs' },
  notFound: { status: 404, type: 'urn:zgoda:problem:customer-not-found', title: 'No such customer' },
  erased: { status: 409, type: 'urn:zgoda:problem:customer-erased', title: 'The customer was erased' },
  ambiguous: { status: 409, type: 'urn:zgoda:problem:ambiguous-customer', title: 'Several customers match' },
  malformed: { status: 400, type: 'urn:zgoda:problem:malformed-json', title: 'The body is not JSON' },
  invalid: { status: 422, type: 'urn:zgoda:problem:invalid-fields', title: 'Some fields are invalid' },
  idempotencyReused: { status: 422, type: 'urn:zgoda:problem:idempotency-key-reused', title: 'Idempotency-Key used with another request' },
  tooLarge: { status: 413, type: 'about:blank', title: 'Payload Too Large' },
  unsupported: { status: 415, type: 'urn:zgoda:problem:content-type', title: 'Send application/json' },
  rateLimited: { status: 429, type: 'urn:zgoda:problem:rate-limited', title: 'Too many requests for this API key' },
  internal: { status: 500, type: 'about:blank', title: 'Internal Server Error' },
} as const satisfies Record<string, { status: number; type: string; title: string }>;
export type ProblemName = keyof typeof PROBLEMS;

export type FieldError = { field: string; detail: string };

export function problemBody(name: ProblemName, detail?: string, errors?: FieldError[]): Problem {
  const { status, type, title } = PROBLEMS[name];
  return { type, title, status, ...(detail ? { detail } : {}), ...(errors?.length ? { errors } : {}) };
}

/** The fields a zod error names, each with its first message, in the order found. */
export function fieldErrorsOfIssues(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string; code?: string; keys?: readonly string[] }>,
): FieldError[] {
  const seen = new Map<string, string>();
  const add = (path: ReadonlyArray<PropertyKey>, message: string) => {
    const field = path.map(String).join('.') || '(body)';
    if (!seen.has(field)) seen.set(field, message);
  };
  for (const issue of issues) {
    // A field the API does not know is named itself, so that a typo shows where it is.
    if (issue.code === 'unrecognized_keys' && issue.keys)
      for (const key of issue.keys) add([...issue.path, key], 'Not a field of this request.');
    else add(issue.path, issue.message);
  }
  return [...seen].map(([field, detail]) => ({ field, detail }));
}
