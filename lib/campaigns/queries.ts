// Reads of the campaign page: the campaign with its progress per status and reason, and its recipients a page at a
// time (by position, so a page is an index range whatever the campaign's size) or all of them as CSV.
import { sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { rowsOf } from '@/db/sql';
import { csvLine } from '@/lib/csv';
import { z } from '@/lib/zod';

export const RECIPIENT_STATUSES = ['queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'skipped'] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];

/**
 * The statuses a recipient passes on the way to each one: a message read was delivered and sent. The page counts and
 * filters sent and delivered with the statuses after them, so that "Delivered" stays true once messages are read.
 */
export const REACHED: Record<RecipientStatus, readonly RecipientStatus[]> = {
  queued: ['queued'],
  sending: ['sending'],
  sent: ['sent', 'delivered', 'read'],
  delivered: ['delivered', 'read'],
  read: ['read'],
  failed: ['failed'],
  skipped: ['skipped'],
};

/** Recipients who reached `status` (see REACHED), from the counts per current status. */
export const reachedCount = (counts: Record<RecipientStatus, number>, status: RecipientStatus) =>
  REACHED[status].reduce((n, s) => n + counts[s], 0);

export type CampaignDetail = {
  id: number;
  draftId: number;
  name: string;
  category: 'marketing' | 'transactional';
  kind: 'export' | 'send';
  status: 'queued' | 'sending' | 'paused' | 'completed' | 'cancelled';
  pausedReason: string | null;
  pausedDetail: string | null;
  ratePerSecond: number | null;
  recipientCount: number;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  createdBy: string;
  counts: Record<RecipientStatus, number>;
  /** Recipients skipped or failed, per reason. */
  reasons: Array<{ status: 'skipped' | 'failed'; reason: string; n: number }>;
};

export async function campaignDetail(q: Queryable, id: number): Promise<CampaignDetail | null> {
  const [row] = rowsOf<{
    id: number;
    draft_id: number;
    name: string;
    category: 'marketing' | 'transactional';
    kind: 'export' | 'send';
    status: CampaignDetail['status'];
    paused_reason: string | null;
    paused_detail: string | null;
    rate_per_second: number | null;
    recipient_count: number;
    exported_at: string | Date;
    started_at: string | Date | null;
    finished_at: string | Date | null;
    created_by: string;
  }>(
    await q.execute(sql`
      select k.id, k.draft_id, d.name, d.category, k.kind, k.status, k.paused_reason, k.paused_detail, k.rate_per_second,
        k.recipient_count, k.exported_at, k.started_at, k.finished_at, u.name as created_by
      from campaigns k join message_drafts d on d.id = k.draft_id join users u on u.id = k.exported_by
      where k.id = ${id}`),
  );
  if (!row) return null;
  const groups = rowsOf<{ status: RecipientStatus | null; reason: string | null; n: string | number }>(
    await q.execute(sql`select status, reason, count(*) as n from campaign_recipients where campaign_id = ${id} group by 1, 2`),
  );
  const counts = Object.fromEntries(RECIPIENT_STATUSES.map((s) => [s, 0])) as Record<RecipientStatus, number>;
  const reasons: CampaignDetail['reasons'] = [];
  for (const g of groups) {
    if (!g.status) continue;
    counts[g.status] += Number(g.n);
    if ((g.status === 'skipped' || g.status === 'failed') && g.reason) reasons.push({ status: g.status, reason: g.reason, n: Number(g.n) });
  }
  reasons.sort((a, b) => b.n - a.n);
  const date = (v: string | Date | null) => (v === null ? null : new Date(v));
  return {
    id: Number(row.id),
    draftId: Number(row.draft_id),
    name: row.name,
    category: row.category,
    kind: row.kind,
    status: row.status,
    pausedReason: row.paused_reason,
    pausedDetail: row.paused_detail,
    ratePerSecond: row.rate_per_second === null ? null : Number(row.rate_per_second),
    recipientCount: Number(row.recipient_count),
    createdAt: new Date(row.exported_at),
    startedAt: date(row.started_at),
    finishedAt: date(row.finished_at),
    createdBy: row.created_by,
    counts,
    reasons,
  };
}

export const recipientFilterSchema = z.object({
  status: z.enum(RECIPIENT_STATUSES).optional().catch(undefined),
  reason: z
    .string()
    .trim()
    .regex(/^[a-z_]{1,40}$/)
    .optional()
    .catch(undefined),
  after: z.coerce.number().int().min(0).max(2_147_483_647).optional().catch(undefined),
});
export type RecipientFilter = z.infer<typeof recipientFilterSchema>;

export type RecipientRow = {
  position: number;
  customerId: number;
  name: string | null;
  market: string | null;
  phone: string;
  status: RecipientStatus | null;
  reason: string | null;
  messageId: string | null;
  errorCode: number | null;
  errorTitle: string | null;
  attempts: number;
  nextAttemptAt: Date;
  sentAt: Date | null;
  deliveredAt: Date | null;
  readAt: Date | null;
  failedAt: Date | null;
};

function filterSql(id: number, f: RecipientFilter): SQL {
  const parts = [sql`r.campaign_id = ${id}`, sql`r.position > ${f.after ?? 0}`];
  if (f.status)
    parts.push(
      sql`r.status in (${sql.join(
        REACHED[f.status].map((s) => sql`${s}`),
        sql`, `,
      )})`,
    );
  if (f.reason) parts.push(sql`r.reason = ${f.reason}`);
  return sql.join(parts, sql` and `);
}

type Raw = {
  position: number;
  customer_id: number | string;
  first_name: string | null;
  last_name: string | null;
  market: string | null;
  phone: string;
  status: RecipientStatus | null;
  reason: string | null;
  message_id: string | null;
  error_code: number | null;
  error_title: string | null;
  attempts: number;
  next_attempt_at: string | Date;
  sent_at: string | Date | null;
  delivered_at: string | Date | null;
  read_at: string | Date | null;
  failed_at: string | Date | null;
};

const date = (v: string | Date | null) => (v === null ? null : new Date(v));

/** A page of recipients after position `after`, in position order. */
export async function recipientsPage(q: Queryable, id: number, f: RecipientFilter, limit = 50): Promise<RecipientRow[]> {
  const rows = rowsOf<Raw>(
    await q.execute(sql`
      select r.position, r.customer_id, c.first_name, c.last_name, c.market, r.phone, r.status, r.reason, r.message_id,
        r.error_code, r.error_title, r.attempts, r.next_attempt_at, r.sent_at, r.delivered_at, r.read_at, r.failed_at
      from campaign_recipients r left join customers c on c.id = r.customer_id
      where ${filterSql(id, f)}
      order by r.position limit ${limit}`),
  );
  return rows.map((r) => ({
    position: Number(r.position),
    customerId: Number(r.customer_id),
    name: [r.first_name, r.last_name].filter(Boolean).join(' ') || null,
    market: r.market,
    phone: r.phone,
    status: r.status,
    reason: r.reason,
    messageId: r.message_id,
    errorCode: r.error_code === null ? null : Number(r.error_code),
    errorTitle: r.error_title,
    attempts: Number(r.attempts),
    nextAttemptAt: new Date(r.next_attempt_at),
    sentAt: date(r.sent_at),
    deliveredAt: date(r.delivered_at),
    readAt: date(r.read_at),
    failedAt: date(r.failed_at),
  }));
}

export const CSV_HEADER = [
  'position',
  'customer_id',
  'name',
  'market',
  'phone',
  'status',
  'reason',
  'message_id',
  'error_code',
  'error_title',
  'attempts',
  'sent_at',
  'delivered_at',
  'read_at',
  'failed_at',
];

/** Every recipient matching the filter as CSV, a page at a time, only as fast as the reader takes it. */
export function recipientsCsv(q: Queryable, id: number, f: RecipientFilter, page = 5000): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after = 0;
  let started = false;
  const iso = (d: Date | null) => d?.toISOString() ?? '';
  return new ReadableStream<Uint8Array>({
    pull: async (controller) => {
      let text = started ? '' : csvLine(CSV_HEADER);
      started = true;
      const rows = await recipientsPage(q, id, { ...f, after }, page);
      for (const r of rows)
        text += csvLine([
          r.position,
          r.customerId,
          r.name ?? '',
          r.market ?? '',
          r.phone,
          r.status ?? '',
          r.reason ?? '',
          r.messageId ?? '',
          r.errorCode ?? '',
          r.errorTitle ?? '',
          r.attempts,
          iso(r.sentAt),
          iso(r.deliveredAt),
          iso(r.readAt),
          iso(r.failedAt),
        ]);
      if (text) controller.enqueue(encoder.encode(text));
      if (rows.length < page) controller.close();
      else after = rows.at(-1)!.position;
    },
  });
}
