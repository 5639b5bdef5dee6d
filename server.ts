// The production server (started by scripts/start.ts): Next.js through its custom-server API, except for the consent
// API's endpoints. A sending system asks for a decision before each send, up to thousands of times a second, and a shop
// records consent at checkout; Next.js's own request handling costs several times these endpoints' work. So this
// server calls their route handlers (app/api/v1/*/route.ts, which serve them under `next dev`) itself, and hands every
// other request, and every other method on these paths, to Next.js.
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import next from 'next';
import type { ApiAnswer, ApiCall } from '@/lib/api/handler';
import { FIXED_HEADERS, FRAME_DENY } from '@/lib/http/fixed-headers';

/** A route handler; a read endpoint's also takes the call without a fetch Request around it. */
type Handler = ((request: Request) => Promise<Response>) & { answer?: (call: ApiCall) => Promise<ApiAnswer> };
type Route = Partial<Record<'GET' | 'POST', Handler>>;

const ROUTES: Record<string, () => Promise<Route>> = {
  '/api/v1/decision': () => import('@/app/api/v1/decision/route'),
  '/api/v1/consent-events': () => import('@/app/api/v1/consent-events/route'),
  '/api/v1/customers': () => import('@/app/api/v1/customers/route'),
};

/** The request as the route handler takes it: path and query, headers, and the body as a stream. */
function requestOf(req: IncomingMessage): Request {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  const url = new URL(req.url!, 'http://localhost');
  if (req.method === 'GET' || req.method === 'HEAD') return new Request(url, { method: req.method, headers });
  return new Request(url, {
    method: req.method,
    headers,
    body: Readable.toWeb(req) as ReadableStream<Uint8Array>,
    duplex: 'half',
  } as RequestInit);
}

/** The call of a read endpoint, straight from the request line and headers. */
function callOf(req: IncomingMessage): ApiCall {
  const url = req.url!;
  const query = url.indexOf('?');
  const requestId = req.headers['x-request-id'];
  return {
    authorization: req.headers.authorization ?? null,
    search: query < 0 ? '' : url.slice(query),
    path: pathOf(url),
    requestId: typeof requestId === 'string' ? requestId : null,
  };
}

// The headers every answer carries, lower-cased so that a handler's own header of the same name replaces its twin.
const FIXED = Object.fromEntries([...FIXED_HEADERS, FRAME_DENY].map(({ key, value }) => [key.toLowerCase(), value]));

function send(res: ServerResponse, answer: ApiAnswer): void {
  const headers = { ...FIXED };
  for (const [key, value] of Object.entries(answer.headers)) headers[key.toLowerCase()] = value;
  const body = Buffer.from(answer.body);
  headers['content-length'] = String(body.length);
  res.writeHead(answer.status, headers);
  res.end(body);
}

async function answer(handler: Handler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (handler.answer) return send(res, await handler.answer(callOf(req)));
  const response = await handler(requestOf(req));
  send(res, { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() });
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  const app = next({ dev: false, port });
  const handle = app.getRequestHandler();
  await app.prepare();
  // Loaded once Next.js is prepared: lib/log reads next/headers, which needs the request storage Next.js sets up.
  const [{ problemAnswer }, { logger }] = await Promise.all([import('@/lib/api/handler'), import('@/lib/log')]);
  const routes = new Map(await Promise.all(Object.entries(ROUTES).map(async ([path, load]) => [path, await load()] as const)));

  const server = http.createServer((req, res) => {
    const handler = req.url ? routes.get(pathOf(req.url))?.[req.method as keyof Route] : undefined;
    if (!handler) return void handle(req, res);
    // The handlers answer their own failures (problem+json); this is for a failure around them.
    answer(handler, req, res).catch((error: unknown) => {
      logger.error({ err: error, path: pathOf(req.url!) }, 'API request failed');
      if (res.headersSent) res.destroy();
      else send(res, problemAnswer('internal', 'The request could not be completed. Try again.'));
    });
  });
  // An idle keep-alive connection stays open longer than a load balancer's (60 s is common), so that the balancer, not
  // this server, closes it: with Node's 5 s a request sent on a connection just as the server closes it is reset.
  server.keepAliveTimeout = 65_000;
  server.listen(port, () => console.log(`Zgoda is serving on port ${port}`));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
