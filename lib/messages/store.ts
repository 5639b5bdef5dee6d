// Reads and writes of message drafts. Every write goes through one transaction with its audit entry; the workflow's
// rules (workflow.ts) decide each status change against the row as it is inside that transaction.
import { and, desc, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Queryable } from '@/db';
import type { MessageDraft } from '@/db/schema';
import { auditLog, campaigns, messageDrafts, users } from '@/db/schema';
import { writeAudit } from '@/lib/audit/write';
import type { Role } from '@/lib/auth/roles';
import type { DraftReview } from '@/lib/whatsapp/linter';
import { reviewDraft } from '@/lib/whatsapp/linter';
import { templateCreateBody } from '@/lib/whatsapp/cloud-api';
import type { TemplateDraft } from '@/lib/whatsapp/template-rules';
import { audienceCounts } from './audience';
import type { Audience, DraftInput, DraftStatus } from './input';
import { asButtons, audienceSchema } from './input';
import type { Refusal, Step } from './workflow';
import { takeStep } from './workflow';

export const ENTITY = 'message_draft';

export function audienceOf(d: Pick<MessageDraft, 'audience'>): Audience {
  const parsed = audienceSchema.safeParse(d.audience);
  return parsed.success ? parsed.data : { markets: [] };
}

export function templateOf(
  d: Pick<MessageDraft, 'name' | 'category' | 'language' | 'header' | 'headerExample' | 'body' | 'footer' | 'buttons' | 'examples'>,
): TemplateDraft {
  return {
    name: d.name,
    category: d.category,
    language: d.language,
    header: d.header,
    headerExample: d.headerExample,
    body: d.body,
    footer: d.footer,
    buttons: d.buttons,
    examples: d.examples,
  };
}

export function reviewOf(d: MessageDraft): DraftReview {
  return reviewDraft({ ...templateOf(d), sender: d.sender });
}

function valuesOf(input: DraftInput) {
  return {
    name: input.name,
    category: input.category,
    language: input.language,
    header: input.header,
    headerExample: input.headerExample,
    body: input.body,
    footer: input.footer,
    sender: input.sender,
    buttons: asButtons(input.buttons),
    examples: input.examples,
    variableFields: input.variableFields,
    audience: input.audience,
  };
}

/** What the audit keeps of a stored draft. */
function contentOf(d: MessageDraft) {
  const { name, category, language, header, headerExample, body, footer, sender, buttons, examples, variableFields, audience, status } = d;
  return { name, category, language, header, headerExample, body, footer, sender, buttons, examples, variableFields, audience, status };
}

/**
 * What Meta knows of the template after an edit: nothing new when the template is unchanged (an edit of the audience);
 * no status when its content changed (Meta reviewed other content; a submission edits it there); neither id nor
 * status when its name or language changed, which Meta cannot edit: that is another template.
 */
function metaAfterEdit(before: MessageDraft, values: ReturnType<typeof valuesOf>) {
  if (JSON.stringify(templateCreateBody(templateOf(before))) === JSON.stringify(templateCreateBody(templateOf(values)))) return {};
  const renamed = before.name !== values.name || before.language !== values.language;
  return { metaStatus: null, metaRejectedReason: null, ...(renamed ? { metaTemplateId: null } : {}) };
}

/** `reopened`: the draft had been submitted or reviewed and is a draft again. */
export type SaveResult =
  { ok: true; id: number; status: DraftStatus; reopened: boolean } | { ok: false; refusal: Refusal | 'not_found' | 'name_taken' };

async function nameTaken(q: Queryable, input: DraftInput): Promise<boolean> {
  const [other] = await q
    .select({ id: messageDrafts.id })
    .from(messageDrafts)
    .where(
      and(
        eq(messageDrafts.name, input.name),
        eq(messageDrafts.language, input.language),
        input.id ? sql`${messageDrafts.id} <> ${input.id}` : sql`true`,
      ),
    );
  return Boolean(other);
}

/** Creates a draft, or updates one (sending it back to draft when it was submitted, approved or rejected). */
export async function saveDraft(tx: Queryable, input: DraftInput, user: { id: number; role: Role }, now = new Date()): Promise<SaveResult> {
  if (await nameTaken(tx, input)) return { ok: false, refusal: 'name_taken' };
  const values = valuesOf(input);
  const { allowed } = await audienceCounts(tx, input.category, input.audience, now);
  if (!input.id) {
    const [row] = await tx
      .insert(messageDrafts)
      .values({ ...values, audienceSize: allowed, authorId: user.id })
      .returning();
    await writeAudit(tx, { actorId: user.id, action: 'message_draft.create', entity: ENTITY, entityId: row!.id, after: values });
    return { ok: true, id: row!.id, status: 'draft', reopened: false };
  }
  const [before] = await tx.select().from(messageDrafts).where(eq(messageDrafts.id, input.id)).for('update');
  if (!before) return { ok: false, refusal: 'not_found' };
  const step = takeStep('edit', { draft: before, user, checksPass: true });
  if (!step.ok) return { ok: false, refusal: step.refusal };
  await tx
    .update(messageDrafts)
    .set({
      ...values,
      audienceSize: allowed,
      status: step.next,
      reviewedBy: before.status === 'draft' ? before.reviewedBy : null,
      updatedAt: now,
      ...metaAfterEdit(before, values),
    })
    .where(eq(messageDrafts.id, input.id));
  await writeAudit(tx, {
    actorId: user.id,
    action: 'message_draft.update',
    entity: ENTITY,
    entityId: input.id,
    before: contentOf(before),
    after: { ...values, status: step.next },
  });
  return { ok: true, id: input.id, status: step.next, reopened: before.status !== step.next };
}

export type StepOutcome = { ok: true; status: DraftStatus } | { ok: false; refusal: Refusal | 'not_found' };

/** Submits, approves or rejects a draft (export has its own path: it writes the campaign while it streams). */
export async function stepDraft(
  tx: Queryable,
  id: number,
  step: Exclude<Step, 'edit' | 'export'>,
  user: { id: number; role: Role },
  comment: string | null = null,
  now = new Date(),
): Promise<StepOutcome> {
  const [draft] = await tx.select().from(messageDrafts).where(eq(messageDrafts.id, id)).for('update');
  if (!draft) return { ok: false, refusal: 'not_found' };
  const result = takeStep(step, { draft, user, checksPass: reviewOf(draft).issues.length === 0 });
  if (!result.ok) return result;
  const review = step === 'approve' || step === 'reject' ? { reviewedBy: user.id, reviewComment: comment } : {};
  await tx
    .update(messageDrafts)
    .set({ status: result.next, updatedAt: now, ...review })
    .where(eq(messageDrafts.id, id));
  await writeAudit(tx, {
    actorId: user.id,
    action: `message_draft.${step}`,
    entity: ENTITY,
    entityId: id,
    before: { status: draft.status },
    after: { status: result.next, ...(comment ? { comment } : {}) },
  });
  return { ok: true, status: result.next };
}

const author = alias(users, 'author');
const reviewer = alias(users, 'reviewer');

export type DraftListItem = Pick<
  MessageDraft,
  'id' | 'name' | 'category' | 'language' | 'status' | 'metaStatus' | 'audienceSize' | 'updatedAt'
> & {
  authorName: string;
};

export async function listDrafts(q: Queryable, limit = 200): Promise<DraftListItem[]> {
  return q
    .select({
      id: messageDrafts.id,
      name: messageDrafts.name,
      category: messageDrafts.category,
      language: messageDrafts.language,
      status: messageDrafts.status,
      metaStatus: messageDrafts.metaStatus,
      audienceSize: messageDrafts.audienceSize,
      updatedAt: messageDrafts.updatedAt,
      authorName: author.name,
    })
    .from(messageDrafts)
    .innerJoin(author, eq(author.id, messageDrafts.authorId))
    .orderBy(desc(messageDrafts.updatedAt), desc(messageDrafts.id))
    .limit(limit);
}

export type DraftDetail = MessageDraft & { authorName: string; reviewerName: string | null };

export async function getDraft(q: Queryable, id: number): Promise<DraftDetail | null> {
  const [row] = await q
    .select({ draft: messageDrafts, authorName: author.name, reviewerName: reviewer.name })
    .from(messageDrafts)
    .innerJoin(author, eq(author.id, messageDrafts.authorId))
    .leftJoin(reviewer, eq(reviewer.id, messageDrafts.reviewedBy))
    .where(eq(messageDrafts.id, id));
  return row ? { ...row.draft, authorName: row.authorName, reviewerName: row.reviewerName } : null;
}

export type HistoryEntry = { at: Date; action: string; actorName: string | null; after: unknown };

/** The audit trail of a draft, newest first: who wrote, submitted, reviewed and exported it. */
export async function draftHistory(q: Queryable, id: number): Promise<HistoryEntry[]> {
  return q
    .select({ at: auditLog.at, action: auditLog.action, actorName: users.name, after: auditLog.after })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(and(eq(auditLog.entity, ENTITY), eq(auditLog.entityId, String(id))))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(50);
}

export async function draftCampaigns(q: Queryable, id: number) {
  return q
    .select({
      id: campaigns.id,
      exportedAt: campaigns.exportedAt,
      recipientCount: campaigns.recipientCount,
      exportedBy: users.name,
      kind: campaigns.kind,
      status: campaigns.status,
    })
    .from(campaigns)
    .innerJoin(users, eq(users.id, campaigns.exportedBy))
    .where(eq(campaigns.draftId, id))
    .orderBy(desc(campaigns.exportedAt));
}
