// The server's logger: one JSON object a line (pino), tagged with the request id where there is a request.
// Log ids, never personal data: no e-mail addresses, phone numbers, names, addresses or message texts.
import { headers } from 'next/headers';
import { unstable_rethrow } from 'next/navigation';
import pino from 'pino';
import type { Logger } from 'pino';
import { requestIdFrom } from '@/lib/http/request-id';

export type { Logger } from 'pino';

// A failed query's message and stack carry its parameters (Drizzle writes "params: ..." into both), and a driver's
// error its `detail` ("Key (email)=(...) already exists"): only the parts that name no one are kept.
const PARAMS = /\nparams: [\s\S]*?(?=\n\s+at |$)/;

export function serializeError(error: unknown, depth = 0): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const fields = error as Error & { code?: unknown; constraint_name?: unknown; digest?: unknown };
  return {
    type: error.name,
    message: error.message.replace(PARAMS, '\nparams: [not logged]'),
    ...(typeof fields.code === 'string' ? { code: fields.code } : {}),
    ...(typeof fields.constraint_name === 'string' ? { constraint: fields.constraint_name } : {}),
    ...(typeof fields.digest === 'string' ? { digest: fields.digest } : {}),
    stack: error.stack?.replace(PARAMS, '\nparams: [not logged]'),
    ...(error.cause !== undefined && depth < 3 ? { cause: serializeError(error.cause, depth + 1) } : {}),
  };
}

function defaultLevel(): string {
  if (process.env.LOG_LEVEL) return process.env.LOG_LEVEL;
  return process.env.NODE_ENV === 'test' ? 'silent' : 'info';
}

export const logger: Logger = pino({
  level: defaultLevel(),
  // Level names rather than numbers and ISO times, so a line reads the same in a terminal and in a log store.
  formatters: { level: (label) => ({ level: label }) },
  timestamp: pino.stdTimeFunctions.isoTime,
  serializers: { err: serializeError },
});

/**
 * The logger of the request being served, with its id (set by proxy.ts, or by the reverse proxy). Routes the proxy
 * skips get an id of their own, the same for every line of the handler that asks once. Outside a request (a script,
 * a test) there is no id: the plain logger.
 */
export async function requestLogger(): Promise<Logger> {
  let requestHeaders: Headers;
  try {
    requestHeaders = await headers();
  } catch (error) {
    // Next.js's own signals (a page that must render per request, say) are not "outside a request": they go on.
    unstable_rethrow(error);
    return logger;
  }
  return logger.child({ requestId: requestIdFrom(requestHeaders) });
}
