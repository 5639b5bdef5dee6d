import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray, sql } from 'drizzle-orm';
import Ajv2020 from 'ajv/dist/2020';
import type { DbHandle } from '@/db';
import {
  apiIdempotency,
  apiKeys,
  auditLog,
  consentEvents,
  consentEvidencePersonal,
  consentState,
  customers,
  suppressions,
  users,
} from '@/db/schema';
import { createTestDb, testDrivers } from '@/db/testing';
import { CHANNELS, PURPOSES } from '@/lib/consent';
import { reasonsByCustomer } from '@/lib/consent-store/eligibility';
import { ensureDefaultPolicies } from '@/lib/consent-store/policies';
import { generateConsentData } from '@/lib/consent-store/test-data';
import { resetRateLimits } from '@/lib/http/rate-limit';
import { contactHash } from '@/lib/suppressions';
import { recordApiConsent, recordApiConsents } from './consent';
import { decide } from './decision';
import { apiEndpoints } from './endpoints';
import type { ApiCaller, ApiScope } from './keys';
import { KEY_TRUSTED_MS, authenticate, createApiKey, revokeApiKey } from './keys';
import { openApiDocument } from './openapi';
import { consentEventInputSchema } from './schemas';
import { flushDecisionTallies } from './usage';

type Doc = {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>>;
  components: { schemas: Record<string, object> };
};
const doc = openApiDocument() as Doc;
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema({ $id: 'openapi', components: doc.components });

/** Checks an answer against the document: the status is one it lists for the operation, and the body fits its schema. */
function conforms(method: string, path: string, status: number, contentType: string | null, body: unknown): void {
  const operation = doc.paths[path]?.[method.toLowerCase()];
  expect(operation, `${method} ${path} is in the document`).toBeDefined();
  const response = operation!.responses[String(status)];
  expect(response, `${method} ${path} lists ${status}`).toBeDefined();
  const mediaType = (contentType ?? '').split(';')[0]!.trim();
  const media = response!.content?.[mediaType];
  expect(media, `${method} ${path} ${status} is ${mediaType}`).toBeDefined();
  const schema = JSON.parse(JSON.stringify(media!.schema).replaceAll('"#/components', '"openapi#/components'));
  const validate = ajv.compile(schema);
  expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
}

const PATHS = { upsertCustomer: '/customers', recordConsent: '/consent-events', decision: '/decision' } as const;
const METHODS = { upsertCustomer: 'POST', recordConsent: 'POST', decision: 'GET' } as const;
type EndpointName = keyof typeof PATHS;

describe.each(testDrivers())('the consent API on %s', (driver) => {
  let h: DbHandle;
  let api: ReturnType<typeof apiEndpoints>;
  const keys: Partial<Record<ApiScope | 'all' | 'revoked', string>> = {};

  beforeAll(async () => {
    h = await createTestDb(driver);
    api = apiEndpoints(async () => h.db);
    await ensureDefaultPolicies(h.db);
    const [admin] = await h.db
      .insert(users)
      .values({ email: 'a@x.test', name: 'Ada Admin', role: 'admin', passwordHash: 'x' })
      .returning({ id: users.id });
    const make = async (name: string, scopes: ApiScope[]) => (await createApiKey(h.db, { name, scopes }, admin!.id)).key;
    keys.all = await make('shop checkout', ['consent:write', 'decisions:read', 'customers:write']);
    keys['consent:write'] = await make('consent only', ['consent:write']);
    keys['decisions:read'] = await make('sender', ['decisions:read']);
    keys['customers:write'] = await make('crm sync', ['customers:write']);
    const revoked = await createApiKey(h.db, { name: 'old key', scopes: ['decisions:read'] }, admin!.id);
    await revokeApiKey(h.db, revoked.id, admin!.id);
    keys.revoked = revoked.key;
  });
  afterAll(async () => h?.close());

  async function call(
    name: EndpointName,
    options: { key?: string | null; body?: unknown; raw?: string; query?: Record<string, string>; headers?: Record<string, string> } = {},
  ) {
    const url = new URL(`http://zgoda.test/api/v1${PATHS[name]}`);
    for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
    const headers: Record<string, string> = { ...options.headers };
    const key = options.key === undefined ? keys.all : options.key;
    if (key) headers.authorization = `Bearer ${key}`;
    const method = METHODS[name];
    if (method === 'POST') headers['content-type'] ??= 'application/json';
    const request = new Request(url, {
      method,
      headers,
      body: method === 'POST' ? (options.raw ?? JSON.stringify(options.body ?? {})) : undefined,
    });
    const response = await api[name](request);
    const json = (await response.json()) as Record<string, unknown>;
    conforms(method, PATHS[name], response.status, response.headers.get('content-type'), json);
    return { status: response.status, headers: response.headers, json };
  }

  const grant = (fields: Record<string, unknown> = {}) => ({
    channel: 'email',
    purpose: 'marketing',
    kind: 'granted',
    occurredAt: '2026-03-01T10:00:00Z',
    source: 'checkout',
    evidence: { wording: 'Yes, send me offers by e-mail.', formVersion: 'checkout v7', ip: '203.0.113.9', userAgent: 'Mozilla/5.0' },
    ...fields,
  });

  describe('keys and scopes', () => {
    it('refuses a request without a key, with an unknown key and with a revoked key (401)', async () => {
      for (const key of [null, 'zgk_' + 'x'.repeat(43), 'not-a-key', keys.revoked!]) {
        const { status, json, headers } = await call('decision', {
          key,
          query: { customerId: '1', channel: 'email', purpose: 'marketing' },
        });
        expect(status).toBe(401);
        expect(json.type).toBe('urn:zgoda:problem:unauthorized');
        expect(headers.get('www-authenticate')).toContain('Bearer');
      }
      const revoked = await call('decision', { key: keys.revoked, query: { customerId: '1', channel: 'email', purpose: 'marketing' } });
      expect(revoked.json.detail).toMatch(/revoked/);
    });

    it('refuses a key revoked here at once, and one revoked by another instance within a second', async () => {
      const [admin] = await h.db.select({ id: users.id }).from(users).limit(1);
      const query = { customerId: '1', channel: 'email', purpose: 'marketing' };
      const here = await createApiKey(h.db, { name: 'revoked here', scopes: ['decisions:read'] }, admin!.id);
      expect((await call('decision', { key: here.key, query })).status).not.toBe(401);
      await revokeApiKey(h.db, here.id, admin!.id);
      expect((await call('decision', { key: here.key, query })).status).toBe(401);

      // Another instance revokes: its row changes, and this instance still trusts what it read for at most a second.
      const there = await createApiKey(h.db, { name: 'revoked there', scopes: ['decisions:read'] }, admin!.id);
      const header = `Bearer ${there.key}`;
      const now = Date.now();
      expect((await authenticate(h.db, header, now)).ok).toBe(true);
      await h.db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, there.id));
      expect((await authenticate(h.db, header, now + 500)).ok).toBe(true);
      expect(await authenticate(h.db, header, now + KEY_TRUSTED_MS)).toEqual({ ok: false, reason: 'revoked' });
    });

    it('lets each scope use its endpoint only (403 elsewhere), and writes nothing when refused', async () => {
      const before = await h.db.$count(customers);
      const requests: Record<EndpointName, Parameters<typeof call>[1]> = {
        upsertCustomer: { body: { externalId: 'S-1', market: 'DE', email: 'scope@example.de' } },
        recordConsent: { body: grant({ customerId: 999_999 }) },
        decision: { query: { customerId: '999999', channel: 'email', purpose: 'marketing' } },
      };
      const needs: Record<EndpointName, ApiScope> = {
        upsertCustomer: 'customers:write',
        recordConsent: 'consent:write',
        decision: 'decisions:read',
      };
      for (const scope of ['consent:write', 'decisions:read', 'customers:write'] as const) {
        for (const name of Object.keys(requests) as EndpointName[]) {
          const { status, json } = await call(name, { ...requests[name], key: keys[scope] });
          if (needs[name] === scope) expect(status, `${scope} on ${name}`).not.toBe(403);
          else {
            expect(status, `${scope} on ${name}`).toBe(403);
            expect(json.detail).toContain(needs[name]);
          }
        }
      }
      // Only the customers:write key created the customer.
      expect(await h.db.$count(customers)).toBe(before + 1);
    });

    it('answers 429 with Retry-After once a key has used its window, and other keys go on', async () => {
      resetRateLimits();
      process.env.API_RATE_LIMIT = '1';
      try {
        const query = { customerId: '1', channel: 'email', purpose: 'marketing' };
        const statuses: number[] = [];
        for (let i = 0; i < 11; i++) statuses.push((await call('decision', { query, key: keys['decisions:read'] })).status);
        expect(statuses.slice(0, 10).every((s) => s !== 429)).toBe(true);
        const limited = await call('decision', { query, key: keys['decisions:read'] });
        expect(limited.status).toBe(429);
        expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
        expect((await call('decision', { query })).status).not.toBe(429);
      } finally {
        delete process.env.API_RATE_LIMIT;
        resetRateLimits();
      }
    });

    it('never reveals the key: only its keyed hash and prefix are stored', async () => {
      const rows = await h.db.execute(sql`select prefix, key_hash from api_keys`);
      const text = JSON.stringify(rows);
      expect(text).not.toContain(keys.all!);
      expect((await authenticate(h.db, `Bearer ${keys.all}`)).ok).toBe(true);
      expect((await authenticate(h.db, `Basic ${keys.all}`)).ok).toBe(false);
    });
  });

  describe('customers', () => {
    it('creates a customer with the import rules for its fields, then updates it by external id', async () => {
      const created = await call('upsertCustomer', {
        body: { externalId: 'C-100', email: ' Anna.Schmidt@Example.DE ', phone: '0151 23456789', market: 'Deutschland', firstName: 'Anna' },
      });
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({ email: 'anna.schmidt@example.de', phone: '+4915123456789', market: 'DE', created: true });
      const updated = await call('upsertCustomer', { body: { externalId: 'C-100', lastName: 'Schmidt', language: 'de-at' } });
      expect(updated.status).toBe(200);
      expect(updated.json).toMatchObject({
        id: created.json.id,
        lastName: 'Schmidt',
        language: 'de-AT',
        email: 'anna.schmidt@example.de',
        created: false,
      });
      const [audit] = await h.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'api.customer.upsert'), sql`${auditLog.after}->>'customerId' = ${String(created.json.id)}`))
        .orderBy(auditLog.id);
      expect(audit?.after).toMatchObject({ key: 'shop checkout', status: 201, created: true });
    });

    it('creates one customer when calls with the same external id race, and answers each of them', async () => {
      const body = (i: number) => ({ externalId: 'C-RACE-1', email: 'race@example.de', market: 'DE', firstName: `Try ${i}` });
      const answers = await Promise.all([0, 1, 2, 3].map((i) => call('upsertCustomer', { body: body(i) })));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 201]);
      expect(new Set(answers.map((a) => a.json.id)).size).toBe(1);
      expect(await h.db.$count(customers, eq(customers.externalId, 'C-RACE-1'))).toBe(1);
    });

    it('names every invalid field (422), refuses malformed JSON (400) and unknown fields, and writes nothing', async () => {
      const before = await h.db.$count(customers);
      const bad = await call('upsertCustomer', {
        body: { externalId: 'C-bad', email: 'not-an-email', phone: '12', market: 'Atlantis', lastOrderAt: 'yesterday' },
      });
      expect(bad.status).toBe(422);
      expect((bad.json.errors as Array<{ field: string }>).map((e) => e.field).sort()).toEqual(['email', 'lastOrderAt', 'market', 'phone']);
      const malformed = await call('upsertCustomer', { raw: '{"externalId": ' });
      expect(malformed.status).toBe(400);
      const unknown = await call('upsertCustomer', { body: { externalId: 'C-x', market: 'DE', emial: 'typo@example.de' } });
      expect(unknown.status).toBe(422);
      expect(unknown.json.errors).toEqual([{ field: 'emial', detail: 'Not a field of this request.' }]);
      const noMarket = await call('upsertCustomer', { body: { externalId: 'C-new' } });
      expect(noMarket.status).toBe(422);
      expect(noMarket.json.errors).toEqual([{ field: 'market', detail: 'Required for a new customer.' }]);
      const text = await call('upsertCustomer', { raw: 'externalId=1', headers: { 'content-type': 'text/plain' } });
      expect(text.status).toBe(415);
      expect(await h.db.$count(customers)).toBe(before);
    });

    it('brings a suppressed e-mail back withdrawn on a new customer', async () => {
      const first = await call('upsertCustomer', { body: { externalId: 'C-200', email: 'gone@example.de', market: 'DE' } });
      await call('recordConsent', {
        body: { email: 'gone@example.de', channel: 'email', purpose: 'all', kind: 'withdrawn', occurredAt: '2026-04-01T08:00:00Z' },
      });
      const second = await call('upsertCustomer', { body: { externalId: 'C-201', email: 'gone@example.de', market: 'PL' } });
      expect(second.status).toBe(201);
      expect(second.json.withdrawnBySuppression).toBe(2);
      const states = await h.db
        .select()
        .from(consentState)
        .where(eq(consentState.customerId, second.json.id as number));
      expect(states.map((s) => [s.channel, s.purpose, s.status]).sort()).toEqual([
        ['email', 'marketing', 'withdrawn'],
        ['email', 'transactional', 'withdrawn'],
      ]);
      expect(first.status).toBe(201);
    });
  });

  describe('consent events', () => {
    let anna: number;
    beforeAll(async () => {
      const { json } = await call('upsertCustomer', {
        body: { externalId: 'E-1', email: 'eva@example.de', phone: '+4915100000001', market: 'DE' },
      });
      anna = json.id as number;
    });

    it('records a grant with its evidence and the key that sent it; DE waits for the double opt-in', async () => {
      const { status, json } = await call('recordConsent', { body: grant({ externalId: 'E-1', doubleOptIn: true }) });
      expect(status).toBe(201);
      expect(json).toMatchObject({
        customerIds: [anna],
        events: [{ customerId: anna, channel: 'email', purpose: 'marketing', status: 'pending_confirmation' }],
      });
      const [event] = await h.db.select().from(consentEvents).where(eq(consentEvents.customerId, anna));
      expect(event).toMatchObject({
        kind: 'granted',
        source: 'checkout',
        recordedBy: null,
        evidence: {
          wording: 'Yes, send me offers by e-mail.',
          formVersion: 'checkout v7',
          apiKey: 'shop checkout',
          doubleOptIn: true,
        },
      });
      // The identifying part of the evidence is kept beside the ledger, where an erasure can delete it.
      const [personal] = await h.db.select().from(consentEvidencePersonal).where(eq(consentEvidencePersonal.eventId, event!.id));
      expect(personal?.evidence).toMatchObject({ ip: '203.0.113.9', userAgent: 'Mozilla/5.0' });
      const decision = await call('decision', { query: { customerId: String(anna), channel: 'email', purpose: 'marketing' } });
      expect(decision.json).toMatchObject({ allowed: false, reason: 'confirmation_pending' });
      expect(decision.json.legalReference).toContain('UWG');
      await call('recordConsent', {
        body: grant({
          customerId: anna,
          kind: 'confirmed',
          occurredAt: '2026-03-02T10:00:00Z',
          evidence: { proofReference: 'doi-link 1' },
        }),
      });
      const allowed = await call('decision', { query: { email: 'EVA@example.de', channel: 'email', purpose: 'marketing' } });
      expect(allowed.json).toMatchObject({ allowed: true, reason: 'consent', customerId: anna, market: 'DE' });
    });

    it('refuses a grant without evidence (422 naming evidence) and writes nothing', async () => {
      const before = await h.db.$count(consentEvents);
      const { status, json } = await call('recordConsent', {
        body: grant({ customerId: anna, channel: 'sms', evidence: { ip: '203.0.113.9' } }),
      });
      expect(status).toBe(422);
      expect(json.errors).toEqual([{ field: 'evidence', detail: expect.stringContaining('evidence') }]);
      const future = await call('recordConsent', { body: grant({ customerId: anna, occurredAt: '2099-01-01T00:00:00Z' }) });
      expect(future.status).toBe(422);
      expect(future.json.errors).toEqual([{ field: 'occurredAt', detail: expect.any(String) }]);
      const two = await call('recordConsent', { body: grant({ customerId: anna, email: 'eva@example.de' }) });
      expect(two.status).toBe(422);
      const badIp = await call('recordConsent', { body: grant({ customerId: anna, evidence: { wording: 'x', ip: '999.1.1.1' } }) });
      expect(badIp.json.errors).toEqual([{ field: 'evidence.ip', detail: 'Not an IP address.' }]);
      const reserved = await call('recordConsent', { body: grant({ customerId: anna, source: 'import' }) });
      expect(reserved.json.errors).toEqual([{ field: 'source', detail: expect.any(String) }]);
      expect(await h.db.$count(consentEvents)).toBe(before);
      const missing = await call('recordConsent', { body: grant({ customerId: 987_654 }) });
      expect(missing.status).toBe(404);
    });

    it('withdraws through a phone on every record holding it and suppresses it', async () => {
      const other = await call('upsertCustomer', { body: { externalId: 'E-2', phone: '+49 151 00000001', market: 'AT' } });
      const { status, json } = await call('recordConsent', {
        body: {
          phone: '+4915100000001',
          channel: 'whatsapp',
          purpose: 'marketing',
          kind: 'withdrawn',
          occurredAt: '2026-05-01T10:00:00Z',
          evidence: { reason: 'STOP in the shop app' },
        },
      });
      expect(status).toBe(201);
      expect(json.suppressed).toBe(true);
      expect((json.customerIds as number[]).sort((a, b) => a - b)).toEqual([anna, other.json.id]);
      const [suppression] = await h.db
        .select()
        .from(suppressions)
        .where(eq(suppressions.valueHash, contactHash('phone', '+4915100000001')));
      expect(suppression).toMatchObject({ channel: 'whatsapp', purpose: 'marketing', source: 'api' });
      const decision = await call('decision', { query: { phone: '+4915100000001', channel: 'whatsapp', purpose: 'marketing' } });
      expect(decision.json).toMatchObject({ allowed: false, reason: 'withdrawn' });
      expect(decision.json.customers).toHaveLength(2);
    });

    it('answers calls written together as each would be answered alone, and leaves the same consent', async () => {
      const { caller } = (await authenticate(h.db, `Bearer ${keys.all}`)) as { ok: true; caller: ApiCaller };
      // Two sets of the same customers: the calls of one are written together, those of the other one by one.
      const markets = ['PL', 'DE', 'FR', 'AT', 'AT', 'NL', 'IT', 'ES'];
      const sets = await Promise.all(
        ['G', 'S'].map(async (set, s) => {
          const ids: number[] = [];
          for (const [i, market] of markets.entries()) {
            // The fourth and fifth share a phone, as a household's records do.
            const phone = i === 3 || i === 4 ? `+43 660 100 00${s}0` : `+48 600 200 ${s}${i}0`;
            const made = await call('upsertCustomer', {
              body: { externalId: `${set}-${i}`, email: `${set}${i}@example.eu`, phone, market },
            });
            ids.push(made.json.id as number);
          }
          return { set, ids, sharedPhone: `+4366010000${s}0` };
        }),
      );
      const bodies = ({ set, ids, sharedPhone }: (typeof sets)[number]) => [
        grant({ customerId: ids[0] }),
        grant({ externalId: `${set}-1`, doubleOptIn: true }),
        grant({ customerId: ids[1], kind: 'confirmed', occurredAt: '2026-03-02T10:00:00Z', evidence: { proofReference: 'doi 1' } }),
        grant({ email: `${set}2@example.eu`, channel: 'whatsapp', purpose: 'transactional' }),
        grant({ phone: sharedPhone, channel: 'sms' }),
        grant({ customerId: ids[3], channel: 'sms', occurredAt: '2099-01-01T00:00:00Z' }),
        grant({ customerId: 987_654 }),
        grant({ customerId: ids[5], channel: 'whatsapp' }),
        grant({ customerId: ids[6], channel: 'phone', purpose: 'transactional' }),
        grant({ customerId: ids[7] }),
        grant({ customerId: ids[0], channel: 'sms', occurredAt: '2026-03-01T12:00:00Z' }),
        grant({ customerId: ids[0], channel: 'sms', kind: 'confirmed', occurredAt: '2026-03-01T13:00:00Z' }),
      ];
      const inputs = sets.map((set) => bodies(set).map((body) => consentEventInputSchema.parse(body)));
      const together = await h.db.transaction((tx) =>
        recordApiConsents(
          tx,
          inputs[0]!.map((input) => ({ input, caller })),
        ),
      );
      const alone: Array<Awaited<ReturnType<typeof recordApiConsent>>> = [];
      for (const input of inputs[1]!) alone.push(await h.db.transaction((tx) => recordApiConsent(tx, input, caller)));

      // The same answers, but for the ids: a customer by its place in its set, an event by whether it was written.
      const places = new Map(sets.flatMap(({ ids }) => ids.map((id, i) => [id, i] as const)));
      const plain = (outcome: (typeof alone)[number]) =>
        outcome.ok
          ? {
              ...outcome.answer,
              customerIds: outcome.answer.customerIds.map((id) => places.get(id)),
              events: outcome.answer.events.map((e) => ({ ...e, id: e.id !== null, customerId: places.get(e.customerId) })),
            }
          : outcome;
      expect(together.map(plain)).toEqual(alone.map(plain));
      expect(together.map((o) => (o.ok ? 'ok' : o.problem))).toEqual([
        ...['ok', 'ok', 'ok', 'ok', 'ambiguous', 'invalid', 'notFound'],
        ...['ok', 'ok', 'ok', 'ok', 'ok'],
      ]);
      // Each event's audit entry says what it changed, as it would had the calls come one by one.
      const entries = async (ids: number[]) =>
        (
          await h.db
            .select({ action: auditLog.action, entityId: auditLog.entityId, before: auditLog.before, after: auditLog.after })
            .from(auditLog)
            .where(and(eq(auditLog.entity, 'customer'), inArray(auditLog.entityId, ids.map(String))))
        )
          .map((e) => ({ ...e, entityId: places.get(Number(e.entityId)), after: { ...(e.after as object), eventId: undefined } }))
          .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      expect(await entries(sets[0]!.ids)).toEqual(await entries(sets[1]!.ids));
      expect((await entries(sets[0]!.ids)).filter((e) => e.action.startsWith('consent.'))).toHaveLength(9);
      const states = async (ids: number[]) =>
        (await h.db.select().from(consentState).where(inArray(consentState.customerId, ids)))
          .map((r) => ({ ...r, customerId: places.get(r.customerId), updatedAt: undefined, id: undefined, lastEventId: undefined }))
          .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      expect(await states(sets[0]!.ids)).toEqual(await states(sets[1]!.ids));
    });

    it('writes a burst of calls in fewer transactions than calls, with an audit entry for each call', async () => {
      const made = await call('upsertCustomer', { body: { externalId: 'burst', email: 'burst@example.pl', market: 'PL' } });
      const customerId = made.json.id as number;
      const audited = async () => (await h.db.select().from(auditLog).where(eq(auditLog.action, 'api.consent.record'))).length;
      const before = await audited();
      const bodies = [...CHANNELS.flatMap((channel) => PURPOSES.map((purpose) => grant({ customerId, channel, purpose })))];
      bodies.push(grant({ customerId: 987_655 }), grant({ customerId, channel: 'email', occurredAt: '2026-03-04T10:00:00Z' }));
      const answers = await Promise.all(bodies.map((body) => call('recordConsent', { body })));
      expect(answers.map((a) => a.status)).toEqual([...bodies.slice(0, -2).map(() => 201), 404, 201]);
      expect(await audited()).toBe(before + bodies.length);
      const written = await h.db
        .select({ recordedAt: consentEvents.recordedAt })
        .from(consentEvents)
        .where(eq(consentEvents.customerId, customerId));
      expect(written).toHaveLength(bodies.length - 1);
      expect(new Set(written.map((w) => w.recordedAt.getTime())).size).toBeLessThan(written.length);
    });

    it('replays an answer for the same Idempotency-Key and body, and refuses the key with another body', async () => {
      const headers = { 'idempotency-key': 'order-4711-consent' };
      const body = grant({
        customerId: anna,
        channel: 'sms',
        evidence: { wording: 'SMS offers: yes' },
        occurredAt: '2026-06-01T10:00:00Z',
      });
      const before = await h.db.$count(consentEvents);
      const first = await call('recordConsent', { body, headers });
      const again = await call('recordConsent', { body, headers });
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.json).toEqual(first.json);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(await h.db.$count(consentEvents)).toBe(before + 1);
      const other = await call('recordConsent', { body: { ...body, channel: 'phone' }, headers });
      expect(other.status).toBe(422);
      expect(other.json.type).toBe('urn:zgoda:problem:idempotency-key-reused');
      // Another key's Idempotency-Key space is its own.
      const elsewhere = await call('recordConsent', { body, headers, key: keys['consent:write'] });
      expect(elsewhere.status).toBe(201);
      expect(await h.db.$count(apiIdempotency)).toBe(2);
      // Concurrent twins: one writes, the other replays it.
      const twin = { 'idempotency-key': 'twin' };
      const twinBody = { ...body, channel: 'whatsapp', purpose: 'transactional', occurredAt: '2026-06-02T10:00:00Z' };
      const n = await h.db.$count(consentEvents);
      const answers = await Promise.all([
        call('recordConsent', { body: twinBody, headers: twin }),
        call('recordConsent', { body: twinBody, headers: twin }),
      ]);
      expect(answers.map((a) => a.status)).toEqual([201, 201]);
      expect(await h.db.$count(consentEvents)).toBe(n + 1);
    });
  });

  describe('decisions', () => {
    it('answers 404 for an unknown customer and 422 for a query that names none or two', async () => {
      expect((await call('decision', { query: { customerId: '424242', channel: 'sms', purpose: 'marketing' } })).status).toBe(404);
      const none = await call('decision', { query: { channel: 'sms', purpose: 'marketing' } });
      expect(none.status).toBe(422);
      const badChannel = await call('decision', { query: { customerId: '1', channel: 'fax', purpose: 'marketing' } });
      expect(badChannel.json.errors).toEqual([{ field: 'channel', detail: expect.stringContaining('email') }]);
    });

    it('counts decisions per key and minute in the audit log', async () => {
      await flushDecisionTallies(h.db, true);
      const rows = await h.db.select().from(auditLog).where(eq(auditLog.action, 'api.decisions'));
      expect(rows.length).toBeGreaterThan(0);
      const sender = rows.map((r) => r.after as Record<string, unknown>).find((a) => a.key === 'shop checkout');
      expect(sender).toMatchObject({ calls: expect.any(Number), allowed: expect.any(Number), notFound: expect.any(Number) });
    });
  });
});

describe.each(testDrivers())('the decision endpoint and the SQL twin on %s', (driver) => {
  const NOW = new Date('2026-11-24T12:00:00Z');
  let h: DbHandle;
  beforeAll(async () => {
    h = await createTestDb(driver);
    await generateConsentData(h.db, 200, NOW);
  }, 180_000);
  afterAll(async () => h?.close());

  it('gives every customer, channel and purpose the reason the SQL twin gives', async () => {
    const ids = (await h.db.select({ id: customers.id }).from(customers)).map((c) => c.id);
    const disagreements: string[] = [];
    for (const channel of CHANNELS) {
      for (const purpose of PURPOSES) {
        const twin = await reasonsByCustomer(h.db, channel, purpose, NOW);
        for (const id of ids) {
          const result = await decide(h.db, { ref: { by: 'id', customerId: id }, channel, purpose }, NOW);
          const reason = result.ok ? result.answer.reason : result.problem;
          if (reason !== twin.get(id)) disagreements.push(`${id} ${channel} ${purpose}: ${reason} vs ${twin.get(id)}`);
        }
      }
    }
    expect(disagreements).toEqual([]);
  }, 120_000);
});
