import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeGraph, StatusEntry } from './fake-graph';
import { startFakeGraph } from './fake-graph';
import type { GraphConfig } from './graph';
import { checkConnection, editTemplate, fetchTemplateStatus, sendTemplateMessage, submitTemplate } from './graph';
import { verifySignature } from './signature';
import { templateCreateBody } from './cloud-api';

const APP_SECRET = 'fake-graph-test-secret';

/** A webhook receiver that keeps what it was sent, and whether each POST's signature held. */
async function startReceiver() {
  const posts: { verified: boolean; statuses: StatusEntry[] }[] = [];
  let refuseNext = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (refuseNext > 0) {
        refuseNext--;
        res.writeHead(503).end();
        return;
      }
      const raw = Buffer.concat(chunks);
      const body = JSON.parse(raw.toString('utf8')) as {
        entry: { changes: { value: { statuses: StatusEntry[] } }[] }[];
      };
      posts.push({
        verified: verifySignature(raw, req.headers['x-hub-signature-256'] as string | undefined, APP_SECRET),
        statuses: body.entry[0]!.changes[0]!.value.statuses,
      });
      res.writeHead(200).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    posts,
    refuse(n: number) {
      refuseNext = n;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

let receiver: Awaited<ReturnType<typeof startReceiver>>;
let fake: FakeGraph;
let config: GraphConfig;

beforeAll(async () => {
  receiver = await startReceiver();
  fake = await startFakeGraph({ appSecret: APP_SECRET, webhookUrl: receiver.url, statusDelayMs: 5, webhookBatchMs: 10 });
  config = {
    baseUrl: `${fake.url}/`,
    apiVersion: 'v25.0',
    phoneNumberId: fake.control.phoneNumberId,
    businessAccountId: fake.control.businessAccountId,
    accessToken: fake.control.token,
  };
});
afterAll(async () => {
  await fake.close();
  await receiver.close();
});
afterEach(async () => {
  await fake.control.flushWebhooks();
  fake.control.reset();
  receiver.posts.length = 0;
});

const message = { to: '+49 151 1234 5678', templateName: 'spring_sale', language: 'de' };

describe('sendTemplateMessage', () => {
  it('answers the wamid and sends the number as digits', async () => {
    const r = await sendTemplateMessage(config, {
      ...message,
      components: [{ type: 'body', parameters: [{ type: 'text', text: 'Anna' }] }],
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.messageId).toMatch(/^wamid\./);
    const sent = fake.control.lastMessageTo('4915112345678');
    expect(sent).toMatchObject({ to: '4915112345678', template: 'spring_sale', language: 'de', messageId: r.messageId, errorCode: null });
    expect(sent?.components).toEqual([{ type: 'body', parameters: [{ type: 'text', text: 'Anna' }] }]);
  });

  it.each([
    [131050, 400, /stop receiving marketing/],
    [131049, 400, /healthy ecosystem/],
    [131026, 400, /undeliverable/],
  ])('reads Meta error %i for a chosen number', async (code, status, title) => {
    fake.control.failNumber('4915112345678', code);
    const r = await sendTemplateMessage(config, message);
    expect(r).toMatchObject({ ok: false, httpStatus: status, code });
    if (r.ok) return;
    expect(r.title).toMatch(title);
    expect(r.detail).toBeTruthy();
    expect(r.fbtraceId).toBeTruthy();
    expect(fake.control.acceptedPerNumber.get('4915112345678')).toBeUndefined();
  });

  it('answers 130429 for a burst, then sends again', async () => {
    fake.control.rateLimitBurst(2);
    const codes = [];
    for (let i = 0; i < 3; i++) {
      const r = await sendTemplateMessage(config, message);
      codes.push(r.ok ? 'ok' : r.code);
    }
    expect(codes).toEqual([130429, 130429, 'ok']);
  });

  it('answers 130429 above a rate per second', async () => {
    fake.control.throttle(5);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => sendTemplateMessage(config, { ...message, to: `4915100000${i}` })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    expect(results.filter((r) => !r.ok && r.code === 130429 && r.httpStatus === 429)).toHaveLength(3);
  });

  it('answers 131056 for a pair, other numbers still go', async () => {
    fake.control.pairRateLimit('4915112345678', 1);
    expect(await sendTemplateMessage(config, message)).toMatchObject({ ok: false, code: 131056 });
    expect((await sendTemplateMessage(config, { ...message, to: '48600100200' })).ok).toBe(true);
    expect((await sendTemplateMessage(config, message)).ok).toBe(true);
  });

  it('answers 5xx for a time window, then recovers', async () => {
    fake.control.serverErrors(150, 503);
    expect(await sendTemplateMessage(config, message)).toMatchObject({ ok: false, httpStatus: 503, code: 2 });
    fake.control.serverErrors(150, 500);
    expect(await sendTemplateMessage(config, message)).toMatchObject({ ok: false, httpStatus: 500, code: 131000 });
    await new Promise((r) => setTimeout(r, 200));
    expect((await sendTemplateMessage(config, message)).ok).toBe(true);
  });

  it('refuses a bad token with 190 and HTTP 401', async () => {
    const r = await sendTemplateMessage({ ...config, accessToken: 'stale' }, message);
    expect(r).toMatchObject({ ok: false, httpStatus: 401, code: 190 });
  });

  it('says when nothing answers (httpStatus 0)', async () => {
    const closed = await startFakeGraph();
    await closed.close();
    const r = await sendTemplateMessage({ ...config, baseUrl: closed.url }, message);
    expect(r).toMatchObject({ ok: false, httpStatus: 0, code: null, title: 'Could not reach the Graph API' });
  });

  it('reads an answer that is not Meta JSON as unexpected', async () => {
    const server = http.createServer((_req, res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad gateway</html>'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const r = await sendTemplateMessage({ ...config, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }, message);
    server.close();
    expect(r).toMatchObject({ ok: false, httpStatus: 502, code: null, title: 'Unexpected answer (HTTP 502)' });
  });

  it('passes Retry-After on', async () => {
    const server = http.createServer((_req, res) =>
      res
        .writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' })
        .end(JSON.stringify({ error: { message: '(#130429) Rate limit hit', code: 130429, type: 'OAuthException' } })),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const r = await sendTemplateMessage({ ...config, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }, message);
    server.close();
    expect(r).toMatchObject({ ok: false, code: 130429, retryAfterSeconds: 7 });
  });

  it('refuses an unapproved or paused template when strict', async () => {
    fake.control.strictTemplates = true;
    expect(await sendTemplateMessage(config, message)).toMatchObject({ ok: false, code: 132001 });
    fake.control.addTemplate({ name: 'spring_sale', language: 'de', status: 'PAUSED' });
    expect(await sendTemplateMessage(config, message)).toMatchObject({ ok: false, code: 132015 });
    fake.control.setTemplateStatus('spring_sale', 'de', 'APPROVED');
    expect((await sendTemplateMessage(config, message)).ok).toBe(true);
  });
});

describe('templates', () => {
  const draft = {
    name: 'spring_sale',
    category: 'marketing' as const,
    language: 'de',
    header: null,
    headerExample: null,
    body: 'Hallo {{1}}, neue Kollektion bei Zgoda Shop. Antworte STOP zum Abmelden.',
    footer: null,
    buttons: [],
    examples: ['Anna'],
  };

  it('submits, reads PENDING, then APPROVED, REJECTED with its reason, PAUSED', async () => {
    const submitted = await submitTemplate(config, templateCreateBody(draft));
    expect(submitted).toMatchObject({ ok: true, status: 'PENDING', category: 'MARKETING' });
    if (!submitted.ok) return;
    expect(await fetchTemplateStatus(config, 'spring_sale', 'de')).toEqual({
      ok: true,
      found: true,
      templateId: submitted.templateId,
      status: 'PENDING',
      category: 'MARKETING',
      rejectedReason: null,
    });
    fake.control.setTemplateStatus('spring_sale', 'de', 'APPROVED');
    expect(await fetchTemplateStatus(config, 'spring_sale', 'de')).toMatchObject({ status: 'APPROVED', rejectedReason: null });
    fake.control.setTemplateStatus('spring_sale', 'de', 'REJECTED', 'PROMOTIONAL');
    expect(await fetchTemplateStatus(config, 'spring_sale', 'de')).toMatchObject({ status: 'REJECTED', rejectedReason: 'PROMOTIONAL' });
    fake.control.setTemplateStatus('spring_sale', 'de', 'PAUSED');
    expect(await fetchTemplateStatus(config, 'spring_sale', 'de')).toMatchObject({ status: 'PAUSED' });
  });

  it('edits a template at Meta, which reviews it again', async () => {
    const submitted = await submitTemplate(config, templateCreateBody(draft));
    if (!submitted.ok) throw new Error(submitted.title);
    fake.control.setTemplateStatus('spring_sale', 'de', 'REJECTED', 'INVALID_FORMAT');
    const body = templateCreateBody({ ...draft, body: 'Hallo {{1}}, die neue Kollektion ist da. Antworte STOP zum Abmelden.' });
    expect(await editTemplate(config, submitted.templateId, body)).toEqual({
      ok: true,
      templateId: submitted.templateId,
      status: 'PENDING',
      category: 'MARKETING',
    });
    expect(await fetchTemplateStatus(config, 'spring_sale', 'de')).toMatchObject({ status: 'PENDING', rejectedReason: null });
    expect(fake.control.templates.get('spring_sale\u0000de')?.body).toMatchObject({ components: body.components });
    expect(await editTemplate(config, '404404404', body)).toMatchObject({ ok: false, code: 100, subcode: 33 });
  });

  it('picks the exact name and language, and says when there is none', async () => {
    fake.control.addTemplate({ name: 'spring_sale_2', language: 'de' });
    fake.control.addTemplate({ name: 'spring_sale', language: 'pl', status: 'PENDING' });
    expect(await fetchTemplateStatus(config, 'spring_sale', 'de')).toEqual({ ok: true, found: false });
    expect(await fetchTemplateStatus(config, 'spring_sale', 'pl')).toMatchObject({ found: true, status: 'PENDING' });
  });

  it('passes on Meta refusing a second template of the same name and language', async () => {
    await submitTemplate(config, templateCreateBody(draft));
    const again = await submitTemplate(config, templateCreateBody(draft));
    expect(again).toMatchObject({ ok: false, httpStatus: 400, code: 100, subcode: 2388024 });
    if (again.ok) return;
    expect(again.detail).toMatch(/already de content/);
  });

  it('refuses with a bad token', async () => {
    expect(await submitTemplate({ ...config, accessToken: 'nope' }, templateCreateBody(draft))).toMatchObject({ ok: false, code: 190 });
    expect(await fetchTemplateStatus({ ...config, accessToken: 'nope' }, 'spring_sale', 'de')).toMatchObject({ ok: false, code: 190 });
  });
});

describe('checkConnection', () => {
  it('is ok with the number and account Meta knows', async () => {
    expect(await checkConnection(config)).toEqual({
      ok: true,
      displayPhoneNumber: '+1 555-000-1234',
      verifiedName: 'Zgoda Test Shop',
      qualityRating: 'GREEN',
      businessName: 'Zgoda Test Shop',
    });
  });

  it.each([
    ['a bad token', { accessToken: 'wrong' }, 'token', 190],
    ['a wrong phone number id', { phoneNumberId: '123' }, 'phone_number_id', 100],
    ['a wrong business account id', { businessAccountId: '456' }, 'business_account_id', 100],
  ] as const)('names %s', async (_what, change, problem, code) => {
    expect(await checkConnection({ ...config, ...change })).toMatchObject({ ok: false, problem, code });
  });

  it('names an unreachable base URL', async () => {
    expect(await checkConnection({ ...config, baseUrl: 'http://127.0.0.1:1' })).toMatchObject({
      ok: false,
      problem: 'unreachable',
      httpStatus: 0,
    });
  });

  it('names a base URL that is not the Graph API', async () => {
    expect(await checkConnection({ ...config, apiVersion: 'latest' })).toMatchObject({ ok: false, problem: 'other' });
  });
});

describe('status webhooks of the fake', () => {
  it('posts sent, delivered and read, signed, in batches', async () => {
    const sent = await Promise.all(
      Array.from({ length: 30 }, (_, i) => sendTemplateMessage(config, { ...message, to: `48600000${100 + i}` })),
    );
    await new Promise((r) => setTimeout(r, 50));
    await fake.control.flushWebhooks();
    expect(receiver.posts.every((p) => p.verified)).toBe(true);
    expect(receiver.posts.length).toBeLessThan(90);
    const statuses = receiver.posts.flatMap((p) => p.statuses);
    for (const r of sent) {
      if (!r.ok) throw new Error('send failed');
      // Several POSTs are in flight at once, so a message's statuses may arrive in any order, as Meta's do.
      expect(
        statuses
          .filter((s) => s.id === r.messageId)
          .map((s) => s.status)
          .sort(),
      ).toEqual(['delivered', 'read', 'sent']);
    }
  });

  it('posts a failed status with Meta errors for a number told to fail that way', async () => {
    fake.control.failNumber('48600000999', 131050, 'status');
    const r = await sendTemplateMessage(config, { ...message, to: '48600000999' });
    expect(r.ok).toBe(true);
    await new Promise((res) => setTimeout(res, 30));
    await fake.control.flushWebhooks();
    const statuses = receiver.posts.flatMap((p) => p.statuses);
    expect(statuses).toHaveLength(1);
    expect(statuses[0]).toMatchObject({ status: 'failed', recipient_id: '48600000999', errors: [{ code: 131050 }] });
  });

  it('posts statuses it is given, and tries again when the receiver refuses', async () => {
    receiver.refuse(1);
    fake.control.postStatuses([
      { id: 'wamid.a', status: 'read', timestamp: '1764600000', recipient_id: '4915100000001' },
      { id: 'wamid.a', status: 'delivered', timestamp: '1764599990', recipient_id: '4915100000001' },
    ]);
    await new Promise((r) => setTimeout(r, 20));
    await fake.control.flushWebhooks();
    expect(receiver.posts.flatMap((p) => p.statuses.map((s) => s.status))).toEqual(['read', 'delivered']);
    expect(fake.control.webhookPosts).toBeGreaterThan(0);
  });

  it('answers thousands of concurrent messages, each with its own wamid', async () => {
    const quiet = await startFakeGraph({ recordMessages: false });
    const c = { ...config, baseUrl: quiet.url };
    const n = 2000;
    const ids = new Set<string>();
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < n) {
          const i = next++;
          const r = await sendTemplateMessage(c, { ...message, to: `49151${String(i).padStart(8, '0')}` });
          if (!r.ok) throw new Error(r.title);
          ids.add(r.messageId);
        }
      }),
    );
    await quiet.close();
    expect(ids.size).toBe(n);
    expect(quiet.control.acceptedPerNumber.size).toBe(n);
    expect(quiet.control.messageCalls).toBe(n);
    expect(quiet.control.messages).toHaveLength(0);
  });
});
