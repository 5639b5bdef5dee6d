// Export of an approved draft: the recipients as JSONL of Cloud API send bodies, streamed. One REPEATABLE READ
// transaction gives the count, the campaign row and every line the same snapshot, so the file holds exactly the
// customers eligible at that moment and the campaign's recipient count is the number of lines. The recipients are
// decided once into a temporary table, then read through a cursor in batches (both drivers), only as fast as the
// client takes them, so memory stays flat.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '@/db';
import { campaigns, messageDrafts } from '@/db/schema';
import { rowsOf } from '@/db/sql';
import { writeAudit } from '@/lib/audit/write';
import type { Role } from '@/lib/auth/roles';
import type { Recipient } from '@/lib/whatsapp/cloud-api';
import { sendBody } from '@/lib/whatsapp/cloud-api';
import { eligibleSql, tuneForScan } from './audience';
import { ENTITY, audienceOf, reviewOf, templateOf } from './store';
import type { Refusal } from './workflow';
import { takeStep } from './workflow';

export const EXPORT_BATCH = 5000;

export type ExportStart =
  | { ok: true; campaignId: number; recipientCount: number; fileName: string; stream: ReadableStream<Uint8Array> }
  | { ok: false; refusal: Refusal | 'not_found' };

/** Thrown inside the transaction to roll it back when the export is refused or the download is abandoned. */
class Abort extends Error {}

/**
 * Starts the export of a draft. Resolves once the campaign is written (or the export refused); the stream then
 * carries the lines. The transaction commits when the last line is taken: an abandoned download records nothing.
 */
export function startExport(db: Db, draftId: number, user: { id: number; role: Role }, now = new Date(), batch = EXPORT_BATCH): Promise<ExportStart> {
  return new Promise<ExportStart>((resolve, reject) => {
    const encoder = new TextEncoder();
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    let wake: (() => void) | null = null;
    let cancelled = false;
    let answered = false;
    const stream = new ReadableStream<Uint8Array>(
      {
        start: (c) => {
          controller = c;
        },
        pull: () => {
          wake?.();
          wake = null;
        },
        cancel: () => {
          cancelled = true;
          wake?.();
          wake = null;
        },
      },
      { highWaterMark: 2 },
    );
    const answer = (result: ExportStart) => {
      answered = true;
      resolve(result);
    };

    db.transaction(
      async (tx) => {
        const [draft] = await tx.select().from(messageDrafts).where(eq(messageDrafts.id, draftId)).for('update');
        if (!draft) {
          answer({ ok: false, refusal: 'not_found' });
          throw new Abort();
        }
        const step = takeStep('export', { draft, user, checksPass: reviewOf(draft).issues.length === 0 });
        if (!step.ok) {
          answer({ ok: false, refusal: step.refusal });
          throw new Abort();
        }
        await tuneForScan(tx);
        const audience = audienceOf(draft);
        const { from, where } = eligibleSql(draft.category, audience, now);
        // The recipients decided once, in one (parallel) pass; the count and the lines then read this table.
        await tx.execute(sql`create temp table export_recipients on commit drop as
          select c.id, c.phone, c.first_name, c.last_name, c.external_id from ${from} where ${where}`);
        const counted = rowsOf<{ n: string | number }>(await tx.execute(sql`select count(*) as n from export_recipients`));
        const recipientCount = Number(counted[0]?.n ?? 0);
        const [campaign] = await tx.insert(campaigns).values({ draftId, exportedBy: user.id, exportedAt: now, recipientCount }).returning({ id: campaigns.id });
        await tx.update(messageDrafts).set({ status: step.next, updatedAt: now }).where(eq(messageDrafts.id, draftId));
        await writeAudit(tx, {
          actorId: user.id,
          action: 'message_draft.export',
          entity: ENTITY,
          entityId: draftId,
          before: { status: draft.status },
          after: { status: step.next, campaignId: campaign!.id, recipientCount, audience },
        });
        answer({ ok: true, campaignId: campaign!.id, recipientCount, fileName: `${draft.name}-${campaign!.id}.jsonl`, stream });

        const template = templateOf(draft);
        type Row = { id: string | number; phone: string; first_name: string | null; last_name: string | null; external_id: string | null };
        // In id order, a batch at a time as the client takes them.
        await tx.execute(sql`declare export_lines no scroll cursor for select * from export_recipients order by id`);
        const fetch = sql.raw(`fetch forward ${Math.max(1, Math.floor(batch))} from export_lines`);
        let written = 0;
        for (;;) {
          const rows = rowsOf<Row>(await tx.execute(fetch));
          if (cancelled) throw new Abort();
          if (rows.length === 0) break;
          let text = '';
          for (const r of rows) {
            const recipient: Recipient = { phone: r.phone, firstName: r.first_name, lastName: r.last_name, externalId: r.external_id };
            text += `${JSON.stringify(sendBody(template, draft.variableFields, recipient))}\n`;
          }
          written += rows.length;
          controller.enqueue(encoder.encode(text));
          while (!cancelled && (controller.desiredSize ?? 0) <= 0) await new Promise<void>((r) => (wake = r));
          if (cancelled) throw new Abort();
        }
        // Same snapshot, same condition: anything else is a defect, and the campaign must not claim a wrong count.
        if (written !== recipientCount) throw new Error(`export wrote ${written} lines for ${recipientCount} recipients`);
      },
      { isolationLevel: 'repeatable read' },
    ).then(
      () => controller.close(),
      (error: unknown) => {
        if (error instanceof Abort) return;
        if (!answered) return reject(error);
        console.error('export failed', error);
        controller.error(error);
      },
    );
  });
}
