// A small client for the WhatsApp Cloud API (Meta's Graph API): send a template message, submit a template and read
// its review status, check that the configured number, account and token work. Every answer is a value, never a throw.
import http from 'node:http';
import https from 'node:https';
import { z } from '@/lib/zod';

export type GraphConfig = {
  /** https://graph.facebook.com, or a stand-in for tests and staging. */
  baseUrl: string;
  /** v25.0 */
  apiVersion: string;
  phoneNumberId: string;
  businessAccountId: string;
  accessToken: string;
};

export const DEFAULT_GRAPH_BASE_URL = 'https://graph.facebook.com';
export const DEFAULT_GRAPH_API_VERSION = 'v25.0';

/**
 * What Meta refused, read from its error object. httpStatus 0 is a request that got no answer (network, timeout);
 * code is Meta's error.code (190 bad token, 130429 rate limit, 131050 marketing stopped ...), null without one.
 */
export type GraphError = {
  ok: false;
  httpStatus: number;
  code: number | null;
  subcode?: number;
  /** Meta's message ("(#131050) Unable to deliver message ..."), or what went wrong before Meta answered. */
  title: string;
  /** error_data.details, else error_user_msg: the sentence a person can act on. */
  detail?: string;
  /** From a Retry-After header, when Meta sends one. */
  retryAfterSeconds?: number;
  fbtraceId?: string;
};

export type SendResult = { ok: true; messageId: string } | GraphError;

export type TemplateStatus =
  'APPROVED' | 'PENDING' | 'REJECTED' | 'PAUSED' | 'DISABLED' | 'IN_APPEAL' | 'PENDING_DELETION' | 'DELETED' | 'LIMIT_EXCEEDED';

export type SubmitResult = { ok: true; templateId: string; status: string; category: string | null } | GraphError;

export type TemplateStatusResult =
  | { ok: true; found: true; templateId: string; status: string; category: string | null; rejectedReason: string | null }
  | { ok: true; found: false }
  | GraphError;

/** Which setting is wrong when the check fails: the token, one of the two ids, or nothing answered at the base URL. */
export type ConnectionProblem = 'token' | 'permission' | 'phone_number_id' | 'business_account_id' | 'unreachable' | 'other';

export type ConnectionResult =
  | { ok: true; displayPhoneNumber: string | null; verifiedName: string | null; qualityRating: string | null; businessName: string | null }
  | (GraphError & { problem: ConnectionProblem });

const REQUEST_TIMEOUT_MS = 15_000;

const errorSchema = z.object({
  error: z.object({
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.number().optional(),
    error_subcode: z.number().optional(),
    error_user_title: z.string().optional(),
    error_user_msg: z.string().optional(),
    error_data: z.object({ details: z.string().optional() }).passthrough().optional(),
    fbtrace_id: z.string().optional(),
  }),
});

function endpoint(config: GraphConfig, path: string, query?: Record<string, string>): string {
  const base = config.baseUrl.trim().replace(/\/+$/, '');
  const url = new URL(`${base}/${encodeURIComponent(config.apiVersion.trim())}/${path}`);
  for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
  return url.toString();
}

function retryAfter(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/** Meta's error object as a GraphError; an answer that is not one keeps its status and says what came back. */
function graphError(status: number, body: unknown, headers: Headers): GraphError {
  const after = retryAfter(headers);
  const parsed = errorSchema.safeParse(body);
  if (!parsed.success) {
    return {
      ok: false,
      httpStatus: status,
      code: null,
      title: `Unexpected answer (HTTP ${status})`,
      ...(after !== undefined ? { retryAfterSeconds: after } : {}),
    };
  }
  const e = parsed.data.error;
  const detail = e.error_data?.details ?? e.error_user_msg;
  return {
    ok: false,
    httpStatus: status,
    code: e.code ?? null,
    ...(e.error_subcode !== undefined ? { subcode: e.error_subcode } : {}),
    title: e.message ?? e.error_user_title ?? `HTTP ${status}`,
    ...(detail ? { detail } : {}),
    ...(after !== undefined ? { retryAfterSeconds: after } : {}),
    ...(e.fbtrace_id ? { fbtraceId: e.fbtrace_id } : {}),
  };
}

type Answer = { ok: true; status: number; body: unknown } | GraphError;
type RawAnswer = { status: number; headers: Headers; text: string };

// node:http with keep-alive agents rather than fetch: a campaign makes thousands of calls a second to one origin, and
// fetch's per-call overhead is several times that of a plain request on a kept-alive socket.
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
};

function request(url: URL, method: string, headers: Record<string, string>, body: string | undefined): Promise<RawAnswer> {
  const lib = url.protocol === 'https:' ? https : http;
  const agent = url.protocol === 'https:' ? agents['https:'] : agents['http:'];
  return new Promise((resolve, reject) => {
    const req = lib.request(
      url,
      {
        method,
        agent,
        headers: body !== undefined ? { ...headers, 'content-length': String(Buffer.byteLength(body)) } : headers,
        timeout: REQUEST_TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h.set(k, v);
          resolve({ status: res.statusCode ?? 0, headers: h, text: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    req.on('timeout', () =>
      req.destroy(Object.assign(new Error(`No answer within ${REQUEST_TIMEOUT_MS / 1000} s`), { name: 'TimeoutError' })),
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function call(config: GraphConfig, method: 'GET' | 'POST', url: string, body?: unknown): Promise<Answer> {
  let response: RawAnswer;
  try {
    const target = new URL(url);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new Error(`Not an http(s) address: ${target.protocol}`);
    response = await request(
      target,
      method,
      {
        authorization: `Bearer ${config.accessToken}`,
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body !== undefined ? JSON.stringify(body) : undefined,
    );
  } catch (err) {
    const timedOut = err instanceof Error && err.name === 'TimeoutError';
    return {
      ok: false,
      httpStatus: 0,
      code: null,
      title: timedOut ? `No answer within ${REQUEST_TIMEOUT_MS / 1000} s` : 'Could not reach the Graph API',
      detail: err instanceof Error ? err.message : String(err),
    };
  }
  let json: unknown = null;
  try {
    json = response.text ? JSON.parse(response.text) : null;
  } catch {
    json = null;
  }
  if (response.status < 200 || response.status >= 300) return graphError(response.status, json, response.headers);
  return { ok: true, status: response.status, body: json };
}

function unexpected(status: number, what: string): GraphError {
  return { ok: false, httpStatus: status, code: null, title: `Unexpected answer from the Graph API: ${what}` };
}

export type TemplateMessage = {
  /** The phone number in digits, without + (E.164 otherwise). */
  to: string;
  templateName: string;
  language: string;
  /** The template's parameters: [{ type: 'body', parameters: [...] }], as the send body carries them. */
  components?: readonly unknown[];
};

const sendAnswer = z.object({ messages: z.array(z.object({ id: z.string().min(1) })).min(1) });

/** POST /{phone-number-id}/messages with a template. */
export async function sendTemplateMessage(config: GraphConfig, message: TemplateMessage): Promise<SendResult> {
  const answer = await call(config, 'POST', endpoint(config, `${encodeURIComponent(config.phoneNumberId)}/messages`), {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: message.to.replace(/\D/g, ''),
    type: 'template',
    template: {
      name: message.templateName,
      language: { code: message.language },
      ...(message.components && message.components.length ? { components: message.components } : {}),
    },
  });
  if (!answer.ok) return answer;
  const parsed = sendAnswer.safeParse(answer.body);
  if (!parsed.success) return unexpected(answer.status, 'no message id');
  return { ok: true, messageId: parsed.data.messages[0]!.id };
}

const submitAnswer = z.object({ id: z.string().min(1), status: z.string().optional(), category: z.string().optional() });

/** POST /{waba-id}/message_templates with the body templateCreateBody builds. Meta answers PENDING while it reviews. */
export async function submitTemplate(config: GraphConfig, body: unknown): Promise<SubmitResult> {
  const answer = await call(config, 'POST', endpoint(config, `${encodeURIComponent(config.businessAccountId)}/message_templates`), body);
  if (!answer.ok) return answer;
  const parsed = submitAnswer.safeParse(answer.body);
  if (!parsed.success) return unexpected(answer.status, 'no template id');
  return { ok: true, templateId: parsed.data.id, status: parsed.data.status ?? 'PENDING', category: parsed.data.category ?? null };
}

const editAnswer = z.object({ success: z.boolean() });

/**
 * POST /{template-id} with the template's new category and components: Meta reviews it again (PENDING). Name and
 * language cannot change at Meta; a template with another name or language is a new submission.
 */
export async function editTemplate(
  config: GraphConfig,
  templateId: string,
  body: { category?: string; components: unknown },
): Promise<SubmitResult> {
  const answer = await call(config, 'POST', endpoint(config, encodeURIComponent(templateId)), {
    category: body.category,
    components: body.components,
  });
  if (!answer.ok) return answer;
  const parsed = editAnswer.safeParse(answer.body);
  if (!parsed.success || !parsed.data.success) return unexpected(answer.status, 'the edit was not confirmed');
  return { ok: true, templateId, status: 'PENDING', category: body.category ?? null };
}

const templateList = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      language: z.string(),
      status: z.string(),
      category: z.string().optional(),
      rejected_reason: z.string().optional(),
    }),
  ),
});

/**
 * The review status of the template with exactly this name and language. Meta's name filter also matches names that
 * merely contain it, so the exact one is picked here. A rejected_reason of NONE is no reason.
 */
export async function fetchTemplateStatus(config: GraphConfig, name: string, language: string): Promise<TemplateStatusResult> {
  const answer = await call(
    config,
    'GET',
    endpoint(config, `${encodeURIComponent(config.businessAccountId)}/message_templates`, {
      name,
      language,
      fields: 'id,name,language,status,category,rejected_reason',
      limit: '100',
    }),
  );
  if (!answer.ok) return answer;
  const parsed = templateList.safeParse(answer.body);
  if (!parsed.success) return unexpected(answer.status, 'no template list');
  const t = parsed.data.data.find((x) => x.name === name && x.language.toLowerCase() === language.toLowerCase());
  if (!t) return { ok: true, found: false };
  const reason = t.rejected_reason && t.rejected_reason !== 'NONE' ? t.rejected_reason : null;
  return { ok: true, found: true, templateId: t.id, status: t.status, category: t.category ?? null, rejectedReason: reason };
}

/** Meta's code for "the object does not exist" (code 100, subcode 33) and for an id of another kind (code 100). */
function problemOf(e: GraphError, idProblem: ConnectionProblem): ConnectionProblem {
  if (e.httpStatus === 0) return 'unreachable';
  if (e.code === 190 || e.httpStatus === 401) return 'token';
  if (e.code === 10 || e.code === 200 || (e.code !== null && e.code > 200 && e.code < 300) || e.httpStatus === 403) return 'permission';
  if (e.code === 100 || e.code === 803 || e.httpStatus === 404) return idProblem;
  if (e.code === null) return 'unreachable';
  return 'other';
}

const phoneAnswer = z.object({
  id: z.string(),
  display_phone_number: z.string().optional(),
  verified_name: z.string().optional(),
  quality_rating: z.string().optional(),
});
const accountAnswer = z.object({ id: z.string(), name: z.string().optional() });

/** GET the phone number, then the business account: ok with what Meta knows of them, or which setting is wrong. */
export async function checkConnection(config: GraphConfig): Promise<ConnectionResult> {
  const phone = await call(
    config,
    'GET',
    endpoint(config, encodeURIComponent(config.phoneNumberId), { fields: 'id,display_phone_number,verified_name,quality_rating' }),
  );
  if (!phone.ok) return { ...phone, problem: problemOf(phone, 'phone_number_id') };
  const p = phoneAnswer.safeParse(phone.body);
  if (!p.success) return { ...unexpected(phone.status, 'not a phone number'), problem: 'unreachable' };
  const account = await call(config, 'GET', endpoint(config, encodeURIComponent(config.businessAccountId), { fields: 'id,name' }));
  if (!account.ok) return { ...account, problem: problemOf(account, 'business_account_id') };
  const a = accountAnswer.safeParse(account.body);
  if (!a.success) return { ...unexpected(account.status, 'not a business account'), problem: 'business_account_id' };
  return {
    ok: true,
    displayPhoneNumber: p.data.display_phone_number ?? null,
    verifiedName: p.data.verified_name ?? null,
    qualityRating: p.data.quality_rating ?? null,
    businessName: a.data.name ?? null,
  };
}
