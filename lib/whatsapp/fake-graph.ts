// A stand-in for Meta's Graph API on loopback, for tests, the send benchmark and trying Zgoda without Meta: it answers
// the calls lib/whatsapp/graph.ts makes the way Meta does, can be told to fail the way Meta fails, and posts status
// webhooks back, signed like Meta's.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { signBody, SIGNATURE_HEADER } from './signature';

export type FakeTemplateStatus = 'APPROVED' | 'PENDING' | 'REJECTED' | 'PAUSED' | 'DISABLED';

export type FakeTemplate = {
  id: string;
  name: string;
  language: string;
  category: string;
  status: FakeTemplateStatus;
  rejectedReason: string | null;
  body: unknown;
};

export type FakeMessage = {
  to: string;
  template: string;
  language: string;
  components: unknown;
  /** Date.now() when the call arrived. */
  at: number;
  /** The wamid answered, or null when the call was refused. */
  messageId: string | null;
  /** Meta's error code answered, or null. */
  errorCode: number | null;
};

export type FakeStatus = 'sent' | 'delivered' | 'read' | 'failed';

/** One entry of value.statuses[] as Meta posts it. */
export type StatusEntry = {
  id: string;
  status: FakeStatus;
  timestamp: string;
  recipient_id: string;
  errors?: { code: number; title: string; message: string; error_data: { details: string } }[];
};

export type FakeGraphOptions = {
  /** Signs the status webhooks (X-Hub-Signature-256); without it they go unsigned. */
  appSecret?: string;
  /** Where status webhooks are posted; without it none are. */
  webhookUrl?: string;
  /** Between a message's sent, delivered and read statuses. Default 20 ms. */
  statusDelayMs?: number;
  /** Statuses waiting are posted together, at most this many per POST (default 100) ... */
  webhookBatchSize?: number;
  /** ... or after this long (default 25 ms). */
  webhookBatchMs?: number;
  /** Keep every message call in control.messages (default true); off keeps only the counts per number. */
  recordMessages?: boolean;
  accessToken?: string;
  phoneNumberId?: string;
  /** Default 0: a free port. */
  port?: number;
  businessAccountId?: string;
};

/** Meta's titles and details for the codes the fake answers. */
const ERRORS: Record<number, { status: number; title: string; details: string }> = {
  130429: { status: 429, title: 'Rate limit hit', details: 'Cloud API message throughput has been reached.' },
  131056: {
    status: 400,
    title: '(Business Account, Consumer Account) pair rate limit hit',
    details: 'Too many messages sent from the sender phone number to the same recipient phone number in a short period of time.',
  },
  131050: {
    status: 400,
    title: 'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business',
    details: 'The user has stopped marketing messages from this business.',
  },
  131049: {
    status: 400,
    title: 'This message was not delivered to maintain healthy ecosystem engagement.',
    details: 'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.',
  },
  131026: {
    status: 400,
    title: 'Message undeliverable',
    details: 'Unable to deliver message. Reasons can include: the recipient phone number is not a WhatsApp phone number.',
  },
  131047: { status: 400, title: 'Re-engagement message', details: 'More than 24 hours have passed since the recipient last replied.' },
  132001: {
    status: 404,
    title: 'Template name does not exist in the translation',
    details: 'template name does not exist in the language',
  },
  132015: {
    status: 400,
    title: 'Template is paused',
    details: 'Template is paused due to low quality so it cannot be sent in a template message.',
  },
  132016: {
    status: 400,
    title: 'Template has been disabled',
    details: 'Template has been paused too many times due to low quality and is now permanently disabled.',
  },
  131000: { status: 500, title: 'Something went wrong', details: 'Message failed to send because of an unknown error.' },
  2: { status: 503, title: 'Service temporarily unavailable', details: 'Temporary due to downtime or due to being overloaded.' },
};

export type FailVia = 'response' | 'status';

export type FakeGraphControl = {
  /** The one token accepted; any other answers 190 with HTTP 401. */
  token: string;
  phoneNumberId: string;
  businessAccountId: string;
  /** Added to every answer. */
  latencyMs: number;
  /** The statuses posted after a message is accepted, in order (default sent, delivered, read). */
  statusFlow: FakeStatus[];
  /** Messages must use an APPROVED template of that name and language (132001 otherwise); default false. */
  strictTemplates: boolean;
  templates: Map<string, FakeTemplate>;
  messages: FakeMessage[];
  /** Accepted messages per number (digits), kept even when recordMessages is off. */
  acceptedPerNumber: Map<string, number>;
  /** Calls to /messages so far, accepted or not. */
  messageCalls: number;
  webhookPosts: number;
  webhookFailures: number;
  setTemplateStatus(name: string, language: string, status: FakeTemplateStatus, rejectedReason?: string): void;
  /** A template that is already through review. */
  addTemplate(t: { name: string; language: string; category?: string; status?: FakeTemplateStatus }): FakeTemplate;
  /** Every message to this number fails with code: in the call's answer, or accepted and then a failed status. */
  failNumber(to: string, code: number, via?: FailVia): void;
  clearFailures(): void;
  /** The next count message calls answer 130429. */
  rateLimitBurst(count: number): void;
  /** More than perSecond message calls within a second answer 130429 (0: no limit). */
  throttle(perSecond: number): void;
  /** The next count messages to this number answer 131056. */
  pairRateLimit(to: string, count: number): void;
  /** Every call answers status (500 or 503) for the next ms milliseconds. */
  serverErrors(ms: number, status?: 500 | 503): void;
  /** Posts these statuses now (for out-of-order and repeated deliveries). */
  postStatuses(statuses: StatusEntry[]): void;
  /** Resolves when no status waits to be posted. */
  flushWebhooks(): Promise<void>;
  /** The wamid the fake answered for the latest message to this number. */
  lastMessageTo(to: string): FakeMessage | undefined;
  reset(): void;
};

export type FakeGraph = { url: string; control: FakeGraphControl; close(): Promise<void> };

const digitsOnly = (s: string) => s.replace(/\D/g, '');
const templateKey = (name: string, language: string) => `${name}\u0000${language.toLowerCase()}`;

function errorBody(code: number, subcode?: number) {
  const e = ERRORS[code] ?? { status: 400, title: 'Error', details: '' };
  return {
    error: {
      message: `(#${code}) ${e.title}`,
      type: 'OAuthException',
      code,
      ...(subcode !== undefined ? { error_subcode: subcode } : {}),
      error_data: { messaging_product: 'whatsapp', details: e.details },
      fbtrace_id: randomBytes(8).toString('base64url'),
    },
  };
}

function statusError(code: number) {
  const e = ERRORS[code] ?? { title: 'Error', details: '' };
  return [{ code, title: e.title, message: e.title, error_data: { details: e.details } }];
}

/** Starts the fake on 127.0.0.1 at a free port. */
export async function startFakeGraph(options: FakeGraphOptions = {}): Promise<FakeGraph> {
  const statusDelayMs = options.statusDelayMs ?? 20;
  const batchSize = options.webhookBatchSize ?? 100;
  const batchMs = options.webhookBatchMs ?? 25;
  const record = options.recordMessages ?? true;
  let seq = 0;
  const runId = randomBytes(4).toString('hex');
  const failures = new Map<string, { code: number; via: FailVia }>();
  const pairLimits = new Map<string, number>();
  let burst = 0;
  let perSecond = 0;
  let windowStart = 0;
  let windowCount = 0;
  let serverErrorUntil = 0;
  let serverErrorStatus: 500 | 503 = 503;
  const lastTo = new Map<string, FakeMessage>();

  // Statuses wait in a queue until a batch is full or its time has come, as Meta groups them.
  const pending: StatusEntry[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let flushTimer: NodeJS.Timeout | null = null;
  let inFlight = 0;
  let idleWaiters: (() => void)[] = [];
  const webhookAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });

  const control: FakeGraphControl = {
    token: options.accessToken ?? 'fake-graph-access-token-0001',
    phoneNumberId: options.phoneNumberId ?? '100200300400500',
    businessAccountId: options.businessAccountId ?? '900800700600500',
    latencyMs: 0,
    statusFlow: ['sent', 'delivered', 'read'],
    strictTemplates: false,
    templates: new Map(),
    messages: [],
    acceptedPerNumber: new Map(),
    messageCalls: 0,
    webhookPosts: 0,
    webhookFailures: 0,
    setTemplateStatus(name, language, status, rejectedReason) {
      const t = control.templates.get(templateKey(name, language));
      if (!t) throw new Error(`no template ${name} (${language})`);
      t.status = status;
      t.rejectedReason = status === 'REJECTED' ? (rejectedReason ?? 'INVALID_FORMAT') : null;
    },
    addTemplate({ name, language, category = 'MARKETING', status = 'APPROVED' }) {
      const t: FakeTemplate = { id: String(1_000_000_000 + ++seq), name, language, category, status, rejectedReason: null, body: null };
      control.templates.set(templateKey(name, language), t);
      return t;
    },
    failNumber(to, code, via = 'response') {
      failures.set(digitsOnly(to), { code, via });
    },
    clearFailures() {
      failures.clear();
      pairLimits.clear();
      burst = 0;
      perSecond = 0;
      serverErrorUntil = 0;
    },
    rateLimitBurst(count) {
      burst = count;
    },
    throttle(n) {
      perSecond = n;
    },
    pairRateLimit(to, count) {
      pairLimits.set(digitsOnly(to), count);
    },
    serverErrors(ms, status = 503) {
      serverErrorUntil = Date.now() + ms;
      serverErrorStatus = status;
    },
    postStatuses(statuses) {
      for (const s of statuses) enqueue(s);
    },
    flushWebhooks() {
      if (pending.length === 0 && inFlight === 0 && timers.size === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    lastMessageTo(to) {
      return lastTo.get(digitsOnly(to));
    },
    reset() {
      control.clearFailures();
      control.templates.clear();
      control.messages.length = 0;
      control.acceptedPerNumber.clear();
      control.messageCalls = 0;
      control.latencyMs = 0;
      control.statusFlow = ['sent', 'delivered', 'read'];
      control.strictTemplates = false;
      lastTo.clear();
    },
  };

  function settleIdle() {
    if (pending.length === 0 && inFlight === 0 && timers.size === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  function later(ms: number, fn: () => void) {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
      settleIdle();
    }, ms);
    timers.add(t);
  }

  function enqueue(s: StatusEntry) {
    if (!options.webhookUrl) return;
    pending.push(s);
    if (pending.length >= batchSize) flush();
    else flushTimer ??= setTimeout(flush, batchMs);
  }

  function flush() {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    while (pending.length) post(pending.splice(0, batchSize), 0);
    settleIdle();
  }

  // Meta retries a webhook the receiver did not take (with backoff, for days); the fake tries three more times.
  function post(statuses: StatusEntry[], attempt: number) {
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: control.businessAccountId,
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550001234', phone_number_id: control.phoneNumberId },
                statuses,
              },
            },
          ],
        },
      ],
    });
    inFlight++;
    const url = new URL(options.webhookUrl!);
    const req = http.request(
      url,
      {
        method: 'POST',
        agent: webhookAgent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...(options.appSecret ? { [SIGNATURE_HEADER]: signBody(body, options.appSecret) } : {}),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode !== undefined && res.statusCode < 300));
      },
    );
    const done = (delivered: boolean) => {
      inFlight--;
      if (delivered) control.webhookPosts++;
      else if (attempt < 3) later(100 * 2 ** attempt, () => post(statuses, attempt + 1));
      else control.webhookFailures++;
      settleIdle();
    };
    req.on('error', () => done(false));
    req.end(body);
  }

  function scheduleStatuses(m: FakeMessage, failWith: number | null) {
    if (!options.webhookUrl) return;
    const now = () => String(Math.floor(Date.now() / 1000));
    const base = { id: m.messageId!, recipient_id: m.to };
    if (failWith !== null) {
      later(statusDelayMs, () => enqueue({ ...base, status: 'failed', timestamp: now(), errors: statusError(failWith) }));
      return;
    }
    control.statusFlow.forEach((status, i) => later(statusDelayMs * (i + 1), () => enqueue({ ...base, status, timestamp: now() })));
  }

  function answer(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    const text = JSON.stringify(body);
    const send = () => {
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
      res.end(text);
    };
    if (control.latencyMs > 0) setTimeout(send, control.latencyMs);
    else send();
  }

  function handleMessage(res: http.ServerResponse, body: Record<string, unknown>) {
    control.messageCalls++;
    const template = (body.template ?? {}) as { name?: string; language?: { code?: string }; components?: unknown };
    const to = typeof body.to === 'string' ? digitsOnly(body.to) : '';
    if (body.messaging_product !== 'whatsapp' || !to || !template.name || !template.language?.code) {
      return answer(res, 400, {
        error: { message: '(#100) Invalid parameter', type: 'OAuthException', code: 100, fbtrace_id: randomBytes(8).toString('base64url') },
      });
    }
    const m: FakeMessage = {
      to,
      template: template.name,
      language: template.language.code,
      components: template.components ?? null,
      at: Date.now(),
      messageId: null,
      errorCode: null,
    };
    const refuse = (code: number, headers?: Record<string, string>) => {
      m.errorCode = code;
      if (record) control.messages.push(m);
      lastTo.set(to, m);
      answer(res, ERRORS[code]?.status ?? 400, errorBody(code), headers);
    };
    if (burst > 0) {
      burst--;
      return refuse(130429);
    }
    if (perSecond > 0) {
      const now = Date.now();
      if (now - windowStart >= 1000) {
        windowStart = now;
        windowCount = 0;
      }
      if (++windowCount > perSecond) return refuse(130429);
    }
    const pair = pairLimits.get(to);
    if (pair) {
      if (pair <= 1) pairLimits.delete(to);
      else pairLimits.set(to, pair - 1);
      return refuse(131056);
    }
    if (control.strictTemplates) {
      const t = control.templates.get(templateKey(m.template, m.language));
      if (!t || t.status === 'PENDING' || t.status === 'REJECTED') return refuse(132001);
      if (t.status === 'PAUSED') return refuse(132015);
      if (t.status === 'DISABLED') return refuse(132016);
    }
    const failure = failures.get(to);
    if (failure?.via === 'response') return refuse(failure.code);
    m.messageId = `wamid.${runId}${(++seq).toString(36).padStart(8, '0')}${randomBytes(6).toString('base64url')}`;
    if (record) control.messages.push(m);
    lastTo.set(to, m);
    control.acceptedPerNumber.set(to, (control.acceptedPerNumber.get(to) ?? 0) + 1);
    answer(res, 200, {
      messaging_product: 'whatsapp',
      contacts: [{ input: body.to, wa_id: to }],
      messages: [{ id: m.messageId, message_status: 'accepted' }],
    });
    scheduleStatuses(m, failure ? failure.code : null);
  }

  function handleSubmit(res: http.ServerResponse, body: Record<string, unknown>) {
    const name = typeof body.name === 'string' ? body.name : '';
    const language = typeof body.language === 'string' ? body.language : '';
    const category = typeof body.category === 'string' ? body.category : '';
    if (
      !/^[a-z0-9_]{1,512}$/.test(name) ||
      !language ||
      !['MARKETING', 'UTILITY', 'AUTHENTICATION'].includes(category) ||
      !Array.isArray(body.components)
    ) {
      return answer(res, 400, {
        error: {
          message: 'Invalid parameter',
          type: 'OAuthException',
          code: 100,
          error_subcode: 2388042,
          error_user_title: 'Message template is invalid',
          error_user_msg: 'The template needs a lowercase name, a language, a category and its components.',
          fbtrace_id: randomBytes(8).toString('base64url'),
        },
      });
    }
    if (control.templates.has(templateKey(name, language))) {
      return answer(res, 400, {
        error: {
          message: 'Invalid parameter',
          type: 'OAuthException',
          code: 100,
          error_subcode: 2388024,
          error_user_title: 'Content in this language already exists',
          error_user_msg: `There is already ${language} content for this template. You can create a new template and try again.`,
          fbtrace_id: randomBytes(8).toString('base64url'),
        },
      });
    }
    const t = control.addTemplate({ name, language, category, status: 'PENDING' });
    t.body = body;
    answer(res, 200, { id: t.id, status: t.status, category: t.category });
  }

  function handleTemplateList(res: http.ServerResponse, query: URLSearchParams) {
    const name = query.get('name');
    const language = query.get('language');
    const data = [...control.templates.values()]
      .filter((t) => (!name || t.name.includes(name)) && (!language || t.language.toLowerCase() === language.toLowerCase()))
      .map((t) => ({
        id: t.id,
        name: t.name,
        language: t.language,
        status: t.status,
        category: t.category,
        ...(t.status === 'REJECTED' ? { rejected_reason: t.rejectedReason ?? 'NONE' } : { rejected_reason: 'NONE' }),
      }));
    answer(res, 200, { data, paging: { cursors: { before: 'MAZDZD', after: 'MjQZD' } } });
  }

  function notFound(res: http.ServerResponse, id: string) {
    answer(res, 400, {
      error: {
        message: `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
        type: 'GraphMethodException',
        code: 100,
        error_subcode: 33,
        fbtrace_id: randomBytes(8).toString('base64url'),
      },
    });
  }

  /**
   * For a fake run on its own (scripts/fake-graph.ts): POST /_fake/template?name=&language=&status=&reason=,
   * /_fake/fail?to=&code=&via=, /_fake/burst?count=, /_fake/outage?ms=&status=, /_fake/latency?ms=, /_fake/reset.
   */
  function controlRoute(res: http.ServerResponse, action: string | undefined, q: URLSearchParams) {
    const num = (k: string) => Number(q.get(k) ?? 0);
    try {
      if (action === 'template') {
        const name = q.get('name') ?? '';
        const language = q.get('language') ?? '';
        const status = (q.get('status') ?? 'APPROVED') as FakeTemplateStatus;
        if (control.templates.has(templateKey(name, language)))
          control.setTemplateStatus(name, language, status, q.get('reason') ?? undefined);
        else control.addTemplate({ name, language, status });
      } else if (action === 'fail') control.failNumber(q.get('to') ?? '', num('code'), q.get('via') === 'status' ? 'status' : 'response');
      else if (action === 'burst') control.rateLimitBurst(num('count'));
      else if (action === 'outage') control.serverErrors(num('ms'), num('status') === 500 ? 500 : 503);
      else if (action === 'latency') control.latencyMs = num('ms');
      else if (action === 'reset') control.reset();
      else return answer(res, 404, { error: `unknown control ${action}` });
    } catch (err) {
      return answer(res, 400, { error: err instanceof Error ? err.message : String(err) });
    }
    answer(res, 200, { ok: true });
  }

  function route(req: http.IncomingMessage, res: http.ServerResponse, raw: string) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] === '_fake' && req.method === 'POST') return controlRoute(res, parts[1], url.searchParams);
    if (Date.now() < serverErrorUntil) {
      if (parts[2] === 'messages') control.messageCalls++;
      return answer(res, serverErrorStatus, errorBody(serverErrorStatus === 503 ? 2 : 131000));
    }
    if (req.headers.authorization !== `Bearer ${control.token}`) {
      return answer(
        res,
        401,
        {
          error: {
            message: 'Invalid OAuth access token - Cannot parse access token',
            type: 'OAuthException',
            code: 190,
            fbtrace_id: randomBytes(8).toString('base64url'),
          },
        },
        { 'www-authenticate': 'OAuth "Facebook Platform" "invalid_token" "Invalid OAuth access token"' },
      );
    }
    if (!/^v\d+\.\d+$/.test(parts[0] ?? '')) {
      return answer(res, 400, { error: { message: 'Unknown path components', type: 'OAuthException', code: 2500, fbtrace_id: 'x' } });
    }
    const id = parts[1] ?? '';
    const edge = parts[2];
    let body: Record<string, unknown> = {};
    if (req.method === 'POST') {
      try {
        const parsed: unknown = JSON.parse(raw);
        if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
      } catch {
        return answer(res, 400, { error: { message: '(#100) Invalid JSON', type: 'OAuthException', code: 100, fbtrace_id: 'x' } });
      }
    }
    if (req.method === 'POST' && edge === 'messages' && parts.length === 3) {
      return id === control.phoneNumberId ? handleMessage(res, body) : notFound(res, id);
    }
    if (edge === 'message_templates' && parts.length === 3) {
      if (id !== control.businessAccountId) return notFound(res, id);
      return req.method === 'POST' ? handleSubmit(res, body) : handleTemplateList(res, url.searchParams);
    }
    if (req.method === 'POST' && parts.length === 2) {
      const t = [...control.templates.values()].find((x) => x.id === id);
      if (!t) return notFound(res, id);
      if (!Array.isArray(body.components)) {
        return answer(res, 400, { error: { message: '(#100) Invalid parameter', type: 'OAuthException', code: 100, fbtrace_id: 'x' } });
      }
      if (typeof body.category === 'string') t.category = body.category;
      t.body = { ...(t.body as object), components: body.components };
      t.status = 'PENDING';
      t.rejectedReason = null;
      return answer(res, 200, { success: true });
    }
    if (req.method === 'GET' && parts.length === 2) {
      if (id === control.phoneNumberId) {
        return answer(res, 200, { id, display_phone_number: '+1 555-000-1234', verified_name: 'Zgoda Test Shop', quality_rating: 'GREEN' });
      }
      if (id === control.businessAccountId) return answer(res, 200, { id, name: 'Zgoda Test Shop' });
      return notFound(res, id);
    }
    return notFound(res, id);
  }

  const server = http.createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => route(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    control,
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      if (flushTimer) clearTimeout(flushTimer);
      pending.length = 0;
      settleIdle();
      webhookAgent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
