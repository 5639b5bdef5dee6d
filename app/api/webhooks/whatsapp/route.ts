// The WhatsApp Cloud API webhook: Meta's subscription check (GET) and signed notifications (POST).
import { getDb } from '@/db';
import { readLimitedBody } from '@/lib/whatsapp/body';
import { inboundQueue } from '@/lib/whatsapp/inbound-queue';
import { applyStatuses } from '@/lib/campaigns/statuses';
import { parseStatuses, parseWebhook } from '@/lib/whatsapp/payload';
import { SIGNATURE_HEADER, verifySignature } from '@/lib/whatsapp/signature';
import { requestLogger } from '@/lib/log';

const writeInbound = inboundQueue(getDb);

// Answers are a few bytes for Meta's servers: not cached, and not compressed (no-transform keeps the server's gzip off).
const CACHE = 'no-store, no-transform';
const text = (body: string, status: number) =>
  new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': CACHE } });

export function GET(request: Request) {
  const params = new URL(request.url).searchParams;
  const token = process.env.WHATSAPP_VERIFY_TOKEN;
  const challenge = params.get('hub.challenge');
  if (token && params.get('hub.mode') === 'subscribe' && params.get('hub.verify_token') === token && challenge) return text(challenge, 200);
  return text('Forbidden', 403);
}

export async function POST(request: Request) {
  const secret = process.env.WHATSAPP_APP_SECRET;
  if (!secret) {
    (await requestLogger()).error('WHATSAPP_APP_SECRET is not set: webhook notifications cannot be verified');
    return text('Not configured', 503);
  }
  const body = await readLimitedBody(request);
  if (!body.ok) return text('Payload too large', 413);
  if (!verifySignature(body.bytes, request.headers.get(SIGNATURE_HEADER), secret)) return text('Invalid signature', 401);

  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body.bytes).toString('utf8'));
  } catch {
    return text('Malformed JSON', 400);
  }
  const parsed = parseWebhook(json);
  if (!parsed.ok) return text('Unexpected payload', 400);

  const statuses = parseStatuses(json);

  try {
    const summary = await writeInbound(parsed.intents);
    // Applied after the replies, on their own: taking a status again when Meta retries the POST changes nothing.
    const delivery = statuses.length > 0 ? await applyStatuses(await getDb(), statuses) : null;
    // queued: replies put into the review queue; ignored: messages that ask for nothing (innocent text, media).
    return Response.json(
      { ...summary, queued: summary.queued ?? 0, ignored: parsed.ignored, ...(delivery ? { statuses: delivery } : {}) },
      { headers: { 'Cache-Control': CACHE } },
    );
  } catch (error) {
    // Nothing of this POST was written (one transaction); Meta retries on 5xx.
    (await requestLogger()).error({ err: error }, 'WhatsApp webhook could not be stored');
    return text('Temporarily unavailable', 503);
  }
}
