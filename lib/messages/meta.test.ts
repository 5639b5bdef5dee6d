import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { DbHandle } from '@/db';
import { appSettings, auditLog, messageDrafts, users } from '@/db/schema';
import { createTestDb, testDrivers } from '@/db/testing';
import { ensureDefaultPolicies } from '@/lib/consent-store/policies';
import type { FakeGraph } from '@/lib/whatsapp/fake-graph';
import { startFakeGraph } from '@/lib/whatsapp/fake-graph';
import { connectionInputSchema, graphConfigState, readConnection, readGraphConfig, saveConnection } from '@/lib/whatsapp/settings';
import { refreshMetaStatus, submitDraftToMeta } from './meta';
import { saveDraft, stepDraft } from './store';
import { marketingDraft } from './test-data';

const TOKEN = 'EAAGfakeGraphAccessToken0000004f2a';

describe.each(testDrivers())('WhatsApp connection and templates at Meta on %s', (driver) => {
  let h: DbHandle;
  let fake: FakeGraph;
  let admin: number;
  let seller: { id: number; role: 'seller' };
  let manager: { id: number; role: 'manager' };
  let n = 0;

  const input = (over: Partial<Record<string, string>> = {}) =>
    connectionInputSchema.parse({
      phoneNumberId: fake.control.phoneNumberId,
      businessAccountId: fake.control.businessAccountId,
      baseUrl: `${fake.url}/`,
      apiVersion: 'v25.0',
      accessToken: fake.control.token,
      ...over,
    });

  async function approvedDraft(name = `spring_sale_${++n}`) {
    const saved = await saveDraft(h.db, marketingDraft(name, { markets: ['PL'] }), seller);
    if (!saved.ok) throw new Error(saved.refusal);
    await stepDraft(h.db, saved.id, 'submit', seller);
    await stepDraft(h.db, saved.id, 'approve', manager);
    return saved.id;
  }

  const draftRow = async (id: number) => (await h.db.select().from(messageDrafts).where(eq(messageDrafts.id, id)))[0]!;

  beforeAll(async () => {
    h = await createTestDb(driver);
    await ensureDefaultPolicies(h.db);
    const [a, s, m] = await h.db
      .insert(users)
      .values([
        { email: 'admin@example.com', name: 'Admin', role: 'admin', passwordHash: 'x' },
        { email: 'seller@example.com', name: 'Seller', role: 'seller', passwordHash: 'x' },
        { email: 'manager@example.com', name: 'Manager', role: 'manager', passwordHash: 'x' },
      ])
      .returning({ id: users.id });
    admin = a!.id;
    seller = { id: s!.id, role: 'seller' };
    manager = { id: m!.id, role: 'manager' };
    fake = await startFakeGraph();
  });
  afterAll(async () => {
    await fake?.close();
    await h?.close();
  });
  afterEach(() => fake.control.reset());

  describe('settings', () => {
    it('says nothing is configured before the first save, with Meta address and version filled in', async () => {
      expect(await graphConfigState(h.db)).toEqual({ ok: false, problem: 'not_configured' });
      expect(await readConnection(h.db)).toMatchObject({ baseUrl: 'https://graph.facebook.com', apiVersion: 'v25.0', tokenEnd: null });
      expect(await submitDraftToMeta(h.db, await approvedDraft(), seller.id)).toEqual({ ok: false, refusal: 'not_configured' });
    });

    it('refuses a first save without a token', async () => {
      expect(await h.db.transaction((tx) => saveConnection(tx, input({ accessToken: '' }), admin))).toEqual({
        ok: false,
        refusal: 'token_required',
      });
    });

    it('keeps the token sealed, shows only its end, audits without it, keeps it when left empty', async () => {
      const saved = await h.db.transaction((tx) => saveConnection(tx, input({ accessToken: TOKEN }), admin));
      expect(saved).toEqual({ ok: true, tokenReplaced: true });
      const [row] = await h.db.select().from(appSettings).where(eq(appSettings.key, 'whatsapp_connection'));
      expect(JSON.stringify(row!.value)).not.toContain(TOKEN);
      expect(await readConnection(h.db)).toMatchObject({ tokenEnd: '4f2a', tokenUnreadable: false, baseUrl: fake.url });
      expect((await readGraphConfig(h.db))?.accessToken).toBe(TOKEN);

      await h.db.transaction((tx) => saveConnection(tx, input({ accessToken: '', apiVersion: 'v24.0' }), admin));
      expect(await readGraphConfig(h.db)).toMatchObject({ accessToken: TOKEN, apiVersion: 'v24.0' });

      const audits = await h.db.select().from(auditLog).where(eq(auditLog.action, 'whatsapp.connection_update'));
      expect(audits).toHaveLength(2);
      expect(JSON.stringify(audits)).not.toContain(TOKEN);
      expect(JSON.stringify(audits)).not.toContain('sealedToken');
      expect(audits.map((a) => (a.after as { tokenReplaced: boolean }).tokenReplaced)).toEqual([true, false]);
    });

    it('says a token sealed under another key cannot be read, and asks for it again', async () => {
      const [row] = await h.db.select().from(appSettings).where(eq(appSettings.key, 'whatsapp_connection'));
      const value = row!.value as Record<string, string>;
      await h.db
        .update(appSettings)
        .set({ value: { ...value, sealedToken: value.sealedToken!.replace(/^v1\.(.)/, (_m, c: string) => `v1.${c === 'A' ? 'B' : 'A'}`) } })
        .where(eq(appSettings.key, 'whatsapp_connection'));
      expect(await graphConfigState(h.db)).toEqual({ ok: false, problem: 'token_unreadable' });
      expect(await readConnection(h.db)).toMatchObject({ tokenUnreadable: true });
      expect(await h.db.transaction((tx) => saveConnection(tx, input({ accessToken: '' }), admin))).toEqual({
        ok: false,
        refusal: 'token_required',
      });
      await h.db.transaction((tx) => saveConnection(tx, input(), admin));
      expect((await graphConfigState(h.db)).ok).toBe(true);
    });

    it.each([
      ['phoneNumberId', 'abc'],
      ['businessAccountId', '12'],
      ['baseUrl', 'ftp://graph.example'],
      ['baseUrl', 'https://user:pw@graph.example'],
      ['apiVersion', 'latest'],
      ['accessToken', 'short'],
      ['accessToken', 'has spaces in the middle of it ok'],
    ])('refuses a bad %s (%s)', (field, value) => {
      const parsed = connectionInputSchema.safeParse({ ...input(), [field]: value });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual([field]);
    });
  });

  describe('templates', () => {
    it('submits an approved draft, reads PENDING, APPROVED, REJECTED with the reason, PAUSED, and audits each change', async () => {
      const id = await approvedDraft();
      const draft = await draftRow(id);
      expect(await submitDraftToMeta(h.db, id, seller.id)).toEqual({ ok: true, status: 'PENDING', rejectedReason: null });
      const after = await draftRow(id);
      expect(after.metaTemplateId).toBeTruthy();
      expect(after.metaStatus).toBe('PENDING');
      expect(after.metaCheckedAt).toBeInstanceOf(Date);
      expect(fake.control.templates.get(`${draft.name}\u0000pl`)?.body).toMatchObject({ name: draft.name, category: 'MARKETING' });

      expect(await submitDraftToMeta(h.db, id, seller.id)).toEqual({ ok: false, refusal: 'already_submitted' });

      for (const [status, reason] of [
        ['APPROVED', null],
        ['REJECTED', 'PROMOTIONAL'],
        ['PAUSED', null],
      ] as const) {
        fake.control.setTemplateStatus(draft.name, 'pl', status, reason ?? undefined);
        expect(await refreshMetaStatus(h.db, id, admin)).toEqual({ ok: true, status, rejectedReason: reason });
        expect(await draftRow(id)).toMatchObject({ metaStatus: status, metaRejectedReason: reason });
      }
      expect(await refreshMetaStatus(h.db, id, admin)).toMatchObject({ ok: true, status: 'PAUSED' });
      const audits = await h.db
        .select({ action: auditLog.action, after: auditLog.after })
        .from(auditLog)
        .where(and(eq(auditLog.entity, 'message_draft'), eq(auditLog.entityId, String(id))));
      expect(
        audits.filter((a) => a.action.startsWith('message_draft.meta')).map((a) => (a.after as { metaStatus: string }).metaStatus),
      ).toEqual(['PENDING', 'APPROVED', 'REJECTED', 'PAUSED']);
    });

    it('submits a rejected template again as an edit of the same template at Meta', async () => {
      const id = await approvedDraft();
      const draft = await draftRow(id);
      await submitDraftToMeta(h.db, id, seller.id);
      fake.control.setTemplateStatus(draft.name, 'pl', 'REJECTED', 'INVALID_FORMAT');
      await refreshMetaStatus(h.db, id, seller.id);
      const templateId = (await draftRow(id)).metaTemplateId;
      expect(await submitDraftToMeta(h.db, id, seller.id)).toEqual({ ok: true, status: 'PENDING', rejectedReason: null });
      expect(await draftRow(id)).toMatchObject({ metaTemplateId: templateId, metaStatus: 'PENDING', metaRejectedReason: null });
      expect(fake.control.templates.size).toBe(1);
    });

    it('forgets the status when the template is edited, and the id too when it is renamed', async () => {
      const id = await approvedDraft();
      const draft = await draftRow(id);
      await submitDraftToMeta(h.db, id, seller.id);
      fake.control.setTemplateStatus(draft.name, 'pl', 'APPROVED');
      await refreshMetaStatus(h.db, id, seller.id);

      const audienceOnly = marketingDraft(draft.name, { markets: ['PL', 'DE'] });
      await saveDraft(h.db, { ...audienceOnly, id }, seller);
      expect(await draftRow(id)).toMatchObject({ metaStatus: 'APPROVED' });

      await saveDraft(h.db, { ...audienceOnly, id, body: 'Cześć {{1}}, nowa kolekcja w sklepie już jest.' }, seller);
      const edited = await draftRow(id);
      expect(edited).toMatchObject({ metaStatus: null, status: 'draft' });
      expect(edited.metaTemplateId).toBeTruthy();
      expect(await refreshMetaStatus(h.db, id, seller.id)).toEqual({ ok: false, refusal: 'changed_since_submission' });
      expect(await submitDraftToMeta(h.db, id, seller.id)).toEqual({ ok: false, refusal: 'status' });

      await saveDraft(h.db, { ...audienceOnly, id, name: `${draft.name}_v2` }, seller);
      expect(await draftRow(id)).toMatchObject({ metaStatus: null, metaTemplateId: null });
    });

    it('takes over a template Meta already holds under that name and language', async () => {
      const id = await approvedDraft();
      const draft = await draftRow(id);
      const existing = fake.control.addTemplate({ name: draft.name, language: 'pl', status: 'APPROVED' });
      expect(await submitDraftToMeta(h.db, id, seller.id)).toEqual({ ok: true, status: 'APPROVED', rejectedReason: null, adopted: true });
      expect(await draftRow(id)).toMatchObject({ metaTemplateId: existing.id, metaStatus: 'APPROVED' });
    });

    it('passes on what Meta refuses, and changes nothing', async () => {
      const id = await approvedDraft();
      const token = fake.control.token;
      fake.control.token = 'rotated-token';
      const refused = await submitDraftToMeta(h.db, id, seller.id);
      expect(refused).toMatchObject({ ok: false, refusal: 'meta', error: { code: 190, httpStatus: 401 } });
      expect(await draftRow(id)).toMatchObject({ metaTemplateId: null, metaStatus: null });
      fake.control.token = token;
    });

    it('refuses a draft not approved here, and a refresh before any submission', async () => {
      const saved = await saveDraft(h.db, marketingDraft(`draft_only_${++n}`, { markets: ['PL'] }), seller);
      if (!saved.ok) throw new Error(saved.refusal);
      expect(await submitDraftToMeta(h.db, saved.id, seller.id)).toEqual({ ok: false, refusal: 'status' });
      expect(await refreshMetaStatus(h.db, saved.id, seller.id)).toEqual({ ok: false, refusal: 'not_submitted' });
      expect(await submitDraftToMeta(h.db, 2_000_000, seller.id)).toEqual({ ok: false, refusal: 'not_found' });
    });

    it('says when the template is gone at Meta', async () => {
      const id = await approvedDraft();
      await submitDraftToMeta(h.db, id, seller.id);
      fake.control.templates.clear();
      expect(await refreshMetaStatus(h.db, id, seller.id)).toEqual({ ok: false, refusal: 'missing_at_meta' });
    });
  });
});
