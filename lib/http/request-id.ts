// The id that ties together the log lines of one request, and that a user can quote from a response header.

export const REQUEST_ID_HEADER = 'x-request-id';

// A reverse proxy's own id (nginx's $request_id is 32 hex digits) is kept; anything longer or stranger is replaced,
// so a client cannot write arbitrary text into every log line of its request.
const VALID_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestIdFrom(headers: Headers): string {
  const given = headers.get(REQUEST_ID_HEADER);
  return given && VALID_ID.test(given) ? given : crypto.randomUUID();
}
