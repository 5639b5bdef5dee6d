// Export of an approved draft: the recipients as JSONL of Cloud API send bodies. The recipients are decided once, in
// one short transaction that writes them into `campaign_recipients` with the campaign and moves the draft to
// exported; the file is then streamed from that table in pages, outside any transaction, only as fast as the client
// takes it. A slow or stalled download holds no lock, no snapshot and no pooled connection between two pages.
//
// An abandoned download leaves the campaign as it was decided: the draft is exported and the file can be downloaded
// again (`downloadCampaign`), the same recipients in the same order, less any who may no longer be messaged.
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db, Queryable } from '@/db';
import type { MessageDraft } from '@/db/schema';
import { campaigns, messageDrafts } from '@/db/schema';
import { rowsOf, ts } from '@/db/sql';
import { writeAudit } from '@/lib/audit/write';
import type { Role } from '@/lib/auth/roles';
import { allowedSql, eligibilityJoins } from '@/lib/consent-store/eligibility';
import { logger } from '@/lib/log';
import type { LinkBase } from '@/lib/preferences/links';
import { linkBase, preferenceLink } from '@/lib/preferences/links';
import type { Recipient } from '@/lib/whatsapp/cloud-api';
import { sendBody } from '@/lib/whatsapp/cloud-api';
import type { TemplateDraft } from '@/lib/whatsapp/template-rules';
import { CHANNEL, eligibleSql, tuneForScan } from './audience';
import { ENTITY, audienceOf, reviewOf, templateOf } from './store';
import type { Refusal } from './workflow';
import { STEP_ROLES, takeStep } from './workflow';

export const EXPORT_BATCH = 5000;

/**
 * Decides a campaign's recipients: every customer of the draft's audience whom the SQL twin of `evaluate` allows now,
 * written into `campaign_recipients` in customer order (`status` null for a file, `queued` for the send worker).
 * Returns how many. Call inside the transaction that creates the campaign.
 */
export async function decideRecipients(
  tx: Queryable,
  campaignId: number,
  draft: Pick<MessageDraft, 'category' | 'audience'>,
  now: Date,
  status: 'queued' | null,
): Promise<number> {
  await tuneForScan(tx);
  // One statement over every customer of the audience, however many: the pool's statement timeout is for requests.
  await tx.execute(sql`set local statement_timeout = 0`);
  const { from, where } = eligibleSql(draft.category, audienceOf(draft), now);
  // The recipients decided once, in one pass over the customers: into a temporary table first, since PostgreSQL
  // scans in parallel for CREATE TABLE AS but never for INSERT; then numbered in customer order, the file's order.
  await tx.execute(sql`create temp table export_recipients on commit drop as
    select c.id, c.phone from ${from} where ${where}`);
  const inserted = rowsOf<{ n: string | number }>(
    await tx.execute(sql`with decided as (
        insert into campaign_recipients (campaign_id, position, customer_id, phone, status, next_attempt_at)
        select ${campaignId}, row_number() over (order by id), id, phone, ${status}::recipient_status, ${ts(now)}
        from export_recipients
        returning 1)
      select count(*) as n from decided`),
  );
  return Number(inserted[0]?.n ?? 0);
}

export type ExportFile = { campaignId: number; recipientCount: number; fileName: string; stream: ReadableStream<Uint8Array> };
export type ExportStart = ({ ok: true } & ExportFile) | { ok: false; refusal: Refusal | 'not_found' | LinkRefusal };

/** A variable asks for the customer's preference link, and this installation cannot build one (no public address). */
export type LinkRefusal = Extract<LinkBase, { ok: false }>['reason'];

/** The base of the preference links the draft's variables ask for: null when none does, a refusal when none can be built. */
function linksFor(
  variableFields: readonly string[],
  links: LinkBase,
): { ok: true; base: string | null } | { ok: false; refusal: LinkRefusal } {
  if (!variableFields.includes('preference_link')) return { ok: true, base: null };
  return links.ok ? links : { ok: false, refusal: links.reason };
}

/**
 * Exports a draft: decides its recipients, records the campaign and moves the draft to exported, all committed before
 * the first line is sent; the stream then carries exactly those recipients, as many lines as the campaign counts.
 */
export async function startExport(
  db: Db,
  draftId: number,
  user: { id: number; role: Role },
  now = new Date(),
  batch = EXPORT_BATCH,
  links: LinkBase = linkBase(),
): Promise<ExportStart> {
  const decided = await db.transaction(async (tx) => {
    const [draft] = await tx.select().from(messageDrafts).where(eq(messageDrafts.id, draftId)).for('update');
    if (!draft) return { ok: false, refusal: 'not_found' } as const;
    const step = takeStep('export', { draft, user, checksPass: reviewOf(draft).issues.length === 0 });
    if (!step.ok) return { ok: false, refusal: step.refusal } as const;
    // Refused before anything is written: a campaign whose messages would carry no way to the preference centre.
    const base = linksFor(draft.variableFields, links);
    if (!base.ok) return base;
    const audience = audienceOf(draft);
    const [campaign] = await tx
      .insert(campaigns)
      .values({ draftId, exportedBy: user.id, exportedAt: now, recipientCount: 0 })
      .returning({ id: campaigns.id });
    const campaignId = campaign!.id;
    const recipientCount = await decideRecipients(tx, campaignId, draft, now, null);
    await tx.update(campaigns).set({ recipientCount }).where(eq(campaigns.id, campaignId));
    await tx.update(messageDrafts).set({ status: step.next, updatedAt: now }).where(eq(messageDrafts.id, draftId));
    await writeAudit(tx, {
      actorId: user.id,
      action: 'message_draft.export',
      entity: ENTITY,
      entityId: draftId,
      before: { status: draft.status },
      after: { status: step.next, campaignId, recipientCount, audience },
    });
    return {
      ok: true,
      campaignId,
      recipientCount,
      name: draft.name,
      template: templateOf(draft),
      variableFields: draft.variableFields,
      linkBase: base.base,
    } as const;
  });
  if (!decided.ok) return decided;
  const { campaignId, recipientCount } = decided;
  // Every decided recipient, once: a different number of lines is a defect, and the file must not pass as whole.
  const stream = recipientLines(db, { id: campaignId, recipientCount }, decided.template, decided.variableFields, batch, decided.linkBase);
  return { ok: true, campaignId, recipientCount, fileName: fileName(decided.name, campaignId), stream };
}

export type DownloadStart = ({ ok: true } & ExportFile) | { ok: false; refusal: 'role' | 'not_found' | LinkRefusal };

/**
 * The file of a campaign already exported (the draft's latest when `campaignId` is not given), for a download that
 * was abandoned or lost. The recipients are those decided at export, in the same order; each is checked again now,
 * so a customer who withdrew, was erased or changed number since is left out (consent is decided for every message).
 * `recipientCount` stays the campaign's; the file may have fewer lines.
 */
export async function downloadCampaign(
  db: Db,
  draftId: number,
  campaignId: number | null,
  user: { id: number; role: Role },
  now = new Date(),
  batch = EXPORT_BATCH,
  links: LinkBase = linkBase(),
): Promise<DownloadStart> {
  if (!STEP_ROLES.export.includes(user.role)) return { ok: false, refusal: 'role' };
  const [found] = await db
    .select({ campaignId: campaigns.id, recipientCount: campaigns.recipientCount, draft: messageDrafts })
    .from(campaigns)
    .innerJoin(messageDrafts, eq(messageDrafts.id, campaigns.draftId))
    .where(campaignId === null ? eq(campaigns.draftId, draftId) : and(eq(campaigns.draftId, draftId), eq(campaigns.id, campaignId)))
    .orderBy(desc(campaigns.id))
    .limit(1);
  if (!found) return { ok: false, refusal: 'not_found' };
  const { draft } = found;
  const base = linksFor(draft.variableFields, links);
  if (!base.ok) return base;
  // A download of personal data: who took the file again, and when.
  await writeAudit(db, {
    actorId: user.id,
    action: 'campaign.download',
    entity: 'campaign',
    entityId: found.campaignId,
    before: null,
    after: { draftId, recipientCount: found.recipientCount },
  });
  const campaign = { id: found.campaignId, recipientCount: found.recipientCount };
  const stream = recipientLines(db, campaign, templateOf(draft), draft.variableFields, batch, base.base, { purpose: draft.category, now });
  return {
    ok: true,
    campaignId: found.campaignId,
    recipientCount: found.recipientCount,
    fileName: fileName(draft.name, found.campaignId),
    stream,
  };
}

function fileName(draftName: string, campaignId: number): string {
  return `${draftName}-${campaignId}.jsonl`;
}

type Row = {
  position: number;
  customer_id: string | number;
  phone: string;
  first_name: string | null;
  last_name: string | null;
  external_id: string | null;
};

/**
 * The lines of a campaign's file, a page at a time by position (each page one short query, nothing held between
 * pages), pulled only as fast as the reader takes them, so memory stays flat and a stalled reader holds nothing.
 */
function recipientLines(
  db: Db,
  campaign: { id: number; recipientCount: number },
  template: TemplateDraft,
  variableFields: string[],
  batch: number,
  linkBase: string | null,
  recheck?: { purpose: 'marketing' | 'transactional'; now: Date },
): ReadableStream<Uint8Array> {
  const { id: campaignId, recipientCount: count } = campaign;
  const encoder = new TextEncoder();
  const size = Math.max(1, Math.floor(batch));
  let after = 0;
  let written = 0;
  let cancelled = false;
  // Positions run 1..count without gaps, so a page is a range of them: an index range scan whatever the table's
  // statistics say (a fresh campaign's rows are not analyzed yet), and a recheck that leaves a page empty goes on.
  const page = (): Promise<Row[]> => {
    const range = sql`r.campaign_id = ${campaignId} and r.position > ${after} and r.position <= ${after + size}`;
    const query = recheck
      ? sql`select r.position, r.customer_id, r.phone, c.first_name, c.last_name, c.external_id
          from campaign_recipients r join (${eligibilityJoins(CHANNEL, recheck.purpose)}) on c.id = r.customer_id
          where ${range} and c.phone = r.phone and ${allowedSql(CHANNEL, recheck.purpose, recheck.now)}
          order by r.position`
      : sql`select r.position, r.customer_id, r.phone, c.first_name, c.last_name, c.external_id
          from campaign_recipients r join customers c on c.id = r.customer_id
          where ${range}
          order by r.position`;
    return db.execute(query).then((result) => rowsOf<Row>(result));
  };
  return new ReadableStream<Uint8Array>(
    {
      pull: async (controller) => {
        try {
          let text = '';
          // Pages a recheck empties are skipped here, so that every pull ends with a line or the end of the file.
          while (text === '' && after < count) {
            const rows = await page();
            if (cancelled) return;
            after += size;
            for (const r of rows) {
              const recipient: Recipient = {
                phone: r.phone,
                firstName: r.first_name,
                lastName: r.last_name,
                externalId: r.external_id,
                preferenceLink: linkBase === null ? null : preferenceLink(linkBase, Number(r.customer_id)),
              };
              text += `${JSON.stringify(sendBody(template, variableFields, recipient))}\n`;
            }
            written += rows.length;
          }
          if (text === '') {
            if (recheck === undefined && written !== count) throw new Error(`export wrote ${written} lines for ${count} recipients`);
            controller.close();
            return;
          }
          controller.enqueue(encoder.encode(text));
        } catch (error) {
          if (cancelled) return;
          logger.error({ err: error, campaign: campaignId }, 'export failed');
          controller.error(error);
        }
      },
      cancel: () => {
        cancelled = true;
      },
    },
    { highWaterMark: 2 },
  );
}
