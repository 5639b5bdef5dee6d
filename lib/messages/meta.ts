// An approved draft's template at Meta: submitted for Meta's review, its review status read back and kept on the draft.
// Meta is called outside any transaction; what it answered is written after, with its audit entry.
import { and, eq } from 'drizzle-orm';
import type { Db } from '@/db';
import type { MessageDraft } from '@/db/schema';
import { messageDrafts } from '@/db/schema';
import { writeAudit } from '@/lib/audit/write';
import type { GraphError } from '@/lib/whatsapp/graph';
import { editTemplate, fetchTemplateStatus, submitTemplate } from '@/lib/whatsapp/graph';
import { templateCreateBody } from '@/lib/whatsapp/cloud-api';
import { graphConfigState } from '@/lib/whatsapp/settings';
import { ENTITY, reviewOf, templateOf } from './store';

/** Review statuses after which the template may be sent. */
export const SENDABLE_META_STATUS = 'APPROVED';

/** Statuses of the draft whose template may go to Meta: approved by a reviewer here (and perhaps exported since). */
const SUBMITTABLE = ['approved', 'exported'] as const;

export type MetaRefusal =
  | 'not_found'
  | 'not_configured'
  | 'token_unreadable'
  | 'status'
  | 'checks'
  | 'already_submitted'
  | 'not_submitted'
  | 'changed_since_submission'
  | 'missing_at_meta'
  | 'edited_meanwhile';

export type MetaOutcome =
  | { ok: true; status: string; rejectedReason: string | null; adopted?: true }
  | { ok: false; refusal: MetaRefusal }
  | { ok: false; refusal: 'meta'; error: GraphError };

/** Statuses Meta still works on or that let the template be sent: submitting again would only be refused. */
const IN_REVIEW_OR_LIVE = ['PENDING', 'APPROVED', 'IN_APPEAL', 'PAUSED'];

type Update = { metaTemplateId: string; metaStatus: string | null; metaRejectedReason: string | null };

/**
 * Writes what Meta answered, unless the draft was edited while Meta was being asked (its updated_at moved): then the
 * answer is about content the draft no longer has, and only the template id is kept.
 */
async function store(db: Db, draft: MessageDraft, update: Update, action: string, actorId: number, now: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(messageDrafts)
      .set({ ...update, metaCheckedAt: now })
      .where(and(eq(messageDrafts.id, draft.id), eq(messageDrafts.updatedAt, draft.updatedAt)))
      .returning({ id: messageDrafts.id });
    if (!row) {
      // Without it a later submission would create a second template at Meta instead of editing this one.
      await tx.update(messageDrafts).set({ metaTemplateId: update.metaTemplateId }).where(eq(messageDrafts.id, draft.id));
      return false;
    }
    await writeAudit(tx, {
      actorId,
      action,
      entity: ENTITY,
      entityId: draft.id,
      before: { metaTemplateId: draft.metaTemplateId, metaStatus: draft.metaStatus, metaRejectedReason: draft.metaRejectedReason },
      after: update,
    });
    return true;
  });
}

async function load(db: Db, draftId: number): Promise<MessageDraft | null> {
  const [draft] = await db.select().from(messageDrafts).where(eq(messageDrafts.id, draftId));
  return draft ?? null;
}

/**
 * Sends an approved draft's template to Meta for review: a new template, or (when Meta has one for this draft that it
 * rejected, or the draft changed since) the same template edited. A template of that name and language Meta already
 * holds (made in WhatsApp Manager) is taken over with its status.
 */
export async function submitDraftToMeta(db: Db, draftId: number, actorId: number, now = new Date()): Promise<MetaOutcome> {
  const draft = await load(db, draftId);
  if (!draft) return { ok: false, refusal: 'not_found' };
  if (!(SUBMITTABLE as readonly string[]).includes(draft.status)) return { ok: false, refusal: 'status' };
  if (reviewOf(draft).issues.length > 0) return { ok: false, refusal: 'checks' };
  if (draft.metaStatus && IN_REVIEW_OR_LIVE.includes(draft.metaStatus)) return { ok: false, refusal: 'already_submitted' };
  const state = await graphConfigState(db);
  if (!state.ok) return { ok: false, refusal: state.problem };
  const body = templateCreateBody(templateOf(draft));
  const answer = draft.metaTemplateId
    ? await editTemplate(state.config, draft.metaTemplateId, { category: body.category, components: body.components })
    : await submitTemplate(state.config, body);
  if (!answer.ok) {
    // 2388024: Meta holds content in this language under this name already; it is this draft's template.
    if (answer.code === 100 && answer.subcode === 2388024 && !draft.metaTemplateId) return adopt(db, draft, actorId, now, answer);
    return { ok: false, refusal: 'meta', error: answer };
  }
  const update = { metaTemplateId: answer.templateId, metaStatus: answer.status, metaRejectedReason: null };
  if (!(await store(db, draft, update, 'message_draft.meta_submit', actorId, now))) return { ok: false, refusal: 'edited_meanwhile' };
  return { ok: true, status: answer.status, rejectedReason: null };
}

async function adopt(db: Db, draft: MessageDraft, actorId: number, now: Date, refusal: GraphError): Promise<MetaOutcome> {
  const state = await graphConfigState(db);
  if (!state.ok) return { ok: false, refusal: state.problem };
  const found = await fetchTemplateStatus(state.config, draft.name, draft.language);
  if (!found.ok) return { ok: false, refusal: 'meta', error: found };
  if (!found.found) return { ok: false, refusal: 'meta', error: refusal };
  const update = { metaTemplateId: found.templateId, metaStatus: found.status, metaRejectedReason: found.rejectedReason };
  if (!(await store(db, draft, update, 'message_draft.meta_submit', actorId, now))) return { ok: false, refusal: 'edited_meanwhile' };
  return { ok: true, status: found.status, rejectedReason: found.rejectedReason, adopted: true };
}

/** Reads Meta's review status of the draft's template and keeps it on the draft (audited when it changed). */
export async function refreshMetaStatus(db: Db, draftId: number, actorId: number, now = new Date()): Promise<MetaOutcome> {
  const draft = await load(db, draftId);
  if (!draft) return { ok: false, refusal: 'not_found' };
  if (!draft.metaTemplateId) return { ok: false, refusal: 'not_submitted' };
  // Meta's verdict is about the content it was sent; a draft edited since has to be submitted again first.
  if (!draft.metaStatus) return { ok: false, refusal: 'changed_since_submission' };
  const state = await graphConfigState(db);
  if (!state.ok) return { ok: false, refusal: state.problem };
  const found = await fetchTemplateStatus(state.config, draft.name, draft.language);
  if (!found.ok) return { ok: false, refusal: 'meta', error: found };
  if (!found.found) return { ok: false, refusal: 'missing_at_meta' };
  const update = { metaTemplateId: found.templateId, metaStatus: found.status, metaRejectedReason: found.rejectedReason };
  const changed = found.status !== draft.metaStatus || found.rejectedReason !== draft.metaRejectedReason;
  if (changed) {
    if (!(await store(db, draft, update, 'message_draft.meta_status', actorId, now))) return { ok: false, refusal: 'edited_meanwhile' };
  } else {
    await db
      .update(messageDrafts)
      .set({ metaCheckedAt: now })
      .where(and(eq(messageDrafts.id, draft.id), eq(messageDrafts.updatedAt, draft.updatedAt)));
  }
  return { ok: true, status: found.status, rejectedReason: found.rejectedReason };
}
