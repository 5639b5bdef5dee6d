// Meta's delivery statuses (the webhook's `statuses[]`) applied to the recipients they are about. Meta retries a POST
// and sends statuses out of order (read before delivered), so applying one is idempotent and a status never moves a
// recipient back: read stays read when its delivered arrives, and fills in the time it was delivered.
import { sql } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { retryDeadlock } from '@/db/errors';
import { recordset, rowsOf } from '@/db/sql';
import type { MarketingStop } from '@/lib/whatsapp/inbound';
import { MARKETING_STOPPED, recordMarketingStops } from '@/lib/whatsapp/inbound';
import { failureReason } from './outcomes';

export type MessageStatus = {
  /** statuses[].id, the wamid the send call answered with. */
  messageId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  at: Date;
  /** statuses[].recipient_id: the phone in digits without '+'. */
  recipient: string;
  errors?: ReadonlyArray<{ code: number; title: string; detail?: string }>;
};

export type StatusSummary = { updated: number; unknown: number; withdrawn: number };

// The order a recipient moves in; a status lower than the recipient's changes only the times it fills in.
const ORDER = sql.raw(`array['queued','sending','sent','failed','delivered','read']::text[]`);

type Folded = {
  message_id: string;
  phone: string;
  status: MessageStatus['status'];
  sent_at: string | null;
  delivered_at: string | null;
  read_at: string | null;
  failed_at: string | null;
  error_code: number | null;
  error_title: string | null;
  reason: string | null;
  at: string;
};

const RANK: Record<MessageStatus['status'], number> = { sent: 2, failed: 3, delivered: 4, read: 5 };

/** The statuses of one message folded into one row: the furthest status, and the earliest time of each step. */
function fold(statuses: readonly MessageStatus[]): Folded[] {
  const byId = new Map<string, Folded>();
  const earliest = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a < b ? a : b);
  for (const s of statuses) {
    const at = s.at.toISOString();
    const error = s.errors?.[0];
    const row: Folded = {
      message_id: s.messageId,
      phone: `+${s.recipient.replace(/^\+/, '')}`,
      status: s.status,
      sent_at: s.status === 'failed' ? null : at,
      delivered_at: s.status === 'delivered' || s.status === 'read' ? at : null,
      read_at: s.status === 'read' ? at : null,
      failed_at: s.status === 'failed' ? at : null,
      error_code: s.status === 'failed' ? (error?.code ?? null) : null,
      error_title: s.status === 'failed' ? (error?.title ?? null) : null,
      reason: s.status === 'failed' ? failureReason(error?.code ?? null) : null,
      at,
    };
    const seen = byId.get(s.messageId);
    if (!seen) {
      byId.set(s.messageId, row);
      continue;
    }
    const ahead = RANK[row.status] > RANK[seen.status] ? row : seen;
    byId.set(s.messageId, {
      ...ahead,
      sent_at: earliest(seen.sent_at, row.sent_at),
      delivered_at: earliest(seen.delivered_at, row.delivered_at),
      read_at: earliest(seen.read_at, row.read_at),
      failed_at: earliest(seen.failed_at, row.failed_at),
      error_code: seen.error_code ?? row.error_code,
      error_title: seen.error_title ?? row.error_title,
      reason: seen.reason ?? row.reason,
    });
  }
  return [...byId.values()];
}

const COLUMNS =
  'message_id text, phone text, status text, sent_at timestamptz, delivered_at timestamptz, read_at timestamptz, failed_at timestamptz, error_code int, error_title text, reason text, at timestamptz';

/**
 * Applies a webhook's statuses in one transaction. A status whose message id no recipient holds yet may be of a message
 * whose sender died between Meta's answer and recording it: it is matched to that phone's recipient left in flight
 * (or failed as interrupted), which thereby learns its message id and that it went out. A failed status with 131050
 * withdraws WhatsApp marketing for the phone, as the send worker does with the same answer.
 */
export async function applyStatuses(db: Queryable, statuses: readonly MessageStatus[], now: Date = new Date()): Promise<StatusSummary> {
  const rows = fold(statuses);
  if (rows.length === 0) return { updated: 0, unknown: 0, withdrawn: 0 };
  return retryDeadlock(() =>
    db.transaction(async (tx) => {
      const updated = rowsOf<{ message_id: string }>(
        await tx.execute(sql`
        with r as (select * from ${recordset(rows, COLUMNS)}),
        orphan as (
          -- Each unmatched message to the latest recipient of its phone that was in flight when the sender died.
          select distinct on (r.message_id) r.message_id, t.campaign_id, t.position
          from r
          join campaign_recipients t on t.phone = r.phone and t.message_id is null
            and (t.status = 'sending' or (t.status = 'failed' and t.reason = 'interrupted'))
            and t.attempted_at <= r.at + interval '5 minutes'
          where not exists (select 1 from campaign_recipients m where m.message_id = r.message_id)
          order by r.message_id, t.attempted_at desc
        ),
        matched as (
          select t.campaign_id, t.position, t.status::text as cur, t.reason as cur_reason, r.*
          from r join campaign_recipients t on t.message_id = r.message_id
          union all
          select t.campaign_id, t.position, t.status::text, t.reason, r.*
          from orphan o join r on r.message_id = o.message_id
          join campaign_recipients t on t.campaign_id = o.campaign_id and t.position = o.position
        ),
        target as (
          select m.*, case
              when m.cur in ('queued', 'sending') or (m.cur = 'failed' and m.cur_reason = 'interrupted') then m.status
              when array_position(${ORDER}, m.status) > array_position(${ORDER}, m.cur) then m.status
              else m.cur end as next
          from matched m
        )
        update campaign_recipients t set
          message_id = g.message_id,
          status = g.next::recipient_status,
          reason = case when g.next = 'failed' then g.reason when g.next <> g.cur and g.cur = 'failed' then null else t.reason end,
          sent_at = coalesce(t.sent_at, g.sent_at, g.delivered_at, g.read_at),
          delivered_at = coalesce(t.delivered_at, g.delivered_at, g.read_at),
          read_at = coalesce(t.read_at, g.read_at),
          failed_at = case when g.next = 'failed' then coalesce(g.failed_at, t.failed_at) else null end,
          error_code = case when g.next = 'failed' and g.cur <> 'failed' then g.error_code when g.next = 'failed' then coalesce(g.error_code, t.error_code) else t.error_code end,
          error_title = case when g.next = 'failed' and g.cur <> 'failed' then g.error_title when g.next = 'failed' then coalesce(g.error_title, t.error_title) else t.error_title end
        from target g
        where t.campaign_id = g.campaign_id and t.position = g.position
        returning g.message_id`),
      );
      const stops: MarketingStop[] = [];
      for (const s of statuses) {
        const error = s.errors?.find((e) => e.code === MARKETING_STOPPED);
        if (s.status === 'failed' && error)
          stops.push({
            phone: `+${s.recipient.replace(/^\+/, '')}`,
            messageId: s.messageId,
            reference: `message ${s.messageId}`,
            occurredAt: s.at,
            code: error.code,
            title: error.title,
            ...(error.detail ? { detail: error.detail } : {}),
          });
      }
      const withdrawn = stops.length ? (await recordMarketingStops(tx, stops, now)).recorded : 0;
      const matched = new Set(updated.map((u) => u.message_id));
      return { updated: matched.size, unknown: rows.length - matched.size, withdrawn };
    }),
  );
}
