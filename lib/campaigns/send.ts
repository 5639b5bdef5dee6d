// The send worker's logic, free of the queue: for one business phone number, works through the recipients of its
// active campaigns. For each batch it claims the due recipients (skipping rows another transaction holds), decides each
// one again with the SQL twin of `evaluate`, the frequency cap and the quiet hours; those that go are marked
// `sending`, a small group at a time, in a committed statement just before the group's calls, at the number's rate,
// and the batch's answers are recorded in one statement. A worker that dies mid-call leaves at most one group
// `sending` (the rest of its batch is still queued and goes with the next worker): whoever sends next from that number
// marks them failed as interrupted and never calls for them again (a status webhook for their message can still show
// that they went out), so no recipient is ever sent twice.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { retryDeadlock } from '@/db/errors';
import { recordset, rowsOf, ts } from '@/db/sql';
import { ALLOW_REASONS } from '@/lib/consent';
import type { Reason } from '@/lib/consent-store/eligibility';
import { eligibilityJoins, reasonSql } from '@/lib/consent-store/eligibility';
import { logger } from '@/lib/log';
import { linkBase, preferenceLink } from '@/lib/preferences/links';
import { templateOf } from '@/lib/messages/store';
import type { CampaignSending } from '@/lib/settings/app-settings';
import { readSetting } from '@/lib/settings/app-settings';
import { sendBody } from '@/lib/whatsapp/cloud-api';
import type { GraphConfig } from '@/lib/whatsapp/graph';
import { sendTemplateMessage } from '@/lib/whatsapp/graph';
import type { MarketingStop } from '@/lib/whatsapp/inbound';
import { recordMarketingStops } from '@/lib/whatsapp/inbound';
import type { Outcome, PauseReason, SendAnswer } from './outcomes';
import { backoffMs, outcomeOf } from './outcomes';
import { quietUntil } from './quiet-hours';

export type MessageBody = ReturnType<typeof sendBody>;
export type SendMessage = (body: MessageBody) => Promise<SendAnswer>;

/** The send function that calls Meta's Graph API with the number's connection. */
export function graphSender(config: GraphConfig): SendMessage {
  return (body) =>
    sendTemplateMessage(config, {
      to: body.to,
      templateName: body.template.name,
      language: body.template.language.code,
      components: 'components' in body.template ? body.template.components : [],
    });
}

export type SenderOptions = {
  send: SendMessage;
  /** Who holds the number's lease; a fresh id per run. */
  owner?: string;
  /** Return after this long with `more` left (a job's slice); the caller queues the rest. */
  sliceMs?: number;
  leaseMs?: number;
  /** Calls in flight at once, at most. */
  concurrency?: number;
  signal?: AbortSignal;
  now?: () => Date;
};

export type SenderResult =
  | { state: 'busy' }
  | { state: 'idle' }
  | { state: 'more' }
  /** Nothing is due now; the earliest recipient is due at `at` (a backoff, quiet hours, a 24 h deferral). */
  | { state: 'later'; at: Date };

const LEASE_MS = 30_000;
/** How long the decision for a batch may be older than its last call, at most: a withdrawal counts from then on. */
const DECISION_WINDOW_MS = 250;
const UNLIMITED_BATCH = 250;
const ALLOWED: readonly string[] = ALLOW_REASONS;

type Active = {
  id: number;
  status: 'queued' | 'sending';
  rate_per_second: number | null;
  category: 'marketing' | 'transactional';
  name: string;
  language: string;
  header: string | null;
  header_example: string | null;
  body: string;
  footer: string | null;
  examples: string[];
  variable_fields: string[];
};

type Claimed = {
  position: number;
  customer_id: number | string;
  phone: string;
  attempts: number;
  limit_deferrals: number;
  market: string | null;
  current_phone: string | null;
  first_name: string | null;
  last_name: string | null;
  external_id: string | null;
  reason: Reason | null;
  recent: number | string;
};

/** Takes or renews the number's lease; false while another live worker holds it. */
export async function takeLease(
  q: Queryable,
  phoneNumberId: string,
  owner: string,
  leaseMs = LEASE_MS,
): Promise<{ ok: boolean; tookOver: boolean }> {
  const rows = rowsOf<{ owner: string; previous: string | null }>(
    await q.execute(sql`
      with before as (select owner from campaign_send_leases where phone_number_id = ${phoneNumberId})
      insert into campaign_send_leases as l (phone_number_id, owner, until)
      values (${phoneNumberId}, ${owner}, now() + ${`${leaseMs} milliseconds`}::interval)
      on conflict (phone_number_id) do update set owner = excluded.owner, until = excluded.until
        where l.owner = excluded.owner or l.until < now()
      returning owner, (select owner from before) as previous`),
  );
  const row = rows[0];
  return { ok: row !== undefined, tookOver: row !== undefined && row.previous !== null && row.previous !== owner };
}

export async function releaseLease(q: Queryable, phoneNumberId: string, owner: string): Promise<void> {
  await q.execute(sql`delete from campaign_send_leases where phone_number_id = ${phoneNumberId} and owner = ${owner}`);
}

/**
 * What a worker that died left in flight: recipients `sending` of this number's campaigns. The call may have reached
 * Meta, so none is called again; each is failed as interrupted (a status webhook for its message, matched by phone,
 * turns it into sent). Run only by the lease holder, which has nothing in flight itself.
 */
export async function reconcileInterrupted(q: Queryable, phoneNumberId: string, now: Date): Promise<number> {
  const rows = rowsOf<{ n: string | number }>(
    await q.execute(sql`
      with failed as (
        update campaign_recipients r set status = 'failed', reason = 'interrupted', failed_at = ${ts(now)},
          error_title = 'interrupted during the call to Meta; not sent again to avoid a duplicate'
        from campaigns k
        where k.id = r.campaign_id and k.phone_number_id = ${phoneNumberId} and k.status in ('queued', 'sending', 'paused', 'cancelled')
          and r.status = 'sending'
        returning 1)
      select count(*) as n from failed`),
  );
  const n = Number(rows[0]?.n ?? 0);
  if (n > 0) logger.warn({ phoneNumberId, recipients: n }, 'campaign recipients interrupted mid-send');
  return n;
}

async function activeCampaigns(q: Queryable, phoneNumberId: string): Promise<Active[]> {
  return rowsOf<Active>(
    await q.execute(sql`
      select k.id, k.status, k.rate_per_second, d.category, d.name, d.language, d.header, d.header_example, d.body,
        d.footer, d.examples, d.variable_fields
      from campaigns k join message_drafts d on d.id = k.draft_id
      where k.kind = 'send' and k.phone_number_id = ${phoneNumberId} and k.status in ('queued', 'sending')
      order by k.id`),
  );
}

/** Every recipient has an answer: the campaign is completed. Otherwise when the next one is due, if any is queued. */
async function finishOrNextDue(q: Queryable, campaignId: number, now: Date): Promise<Date | 'completed' | 'waiting'> {
  const [row] = rowsOf<{ due: string | Date | null; in_flight: boolean }>(
    await q.execute(sql`
      select (select min(next_attempt_at) from campaign_recipients where campaign_id = ${campaignId} and status = 'queued') as due,
        exists (select 1 from campaign_recipients where campaign_id = ${campaignId} and status = 'sending') as in_flight`),
  );
  if (row?.due) return new Date(row.due);
  if (row?.in_flight) return 'waiting';
  await q.execute(sql`update campaigns set status = 'completed', finished_at = ${ts(now)}
    where id = ${campaignId} and status in ('queued', 'sending')`);
  return 'completed';
}

type Decision = { position: number; status: 'sending' | 'skipped' | 'queued'; reason: string | null; next_attempt_at: string | null };

/**
 * Claims up to `limit` due recipients of a campaign and decides each now: consent by the SQL twin (the phone must be
 * the one decided on), then for marketing the frequency cap and the market's quiet hours. Committed before any call.
 */
async function claim(
  db: Queryable,
  campaign: Active,
  settings: CampaignSending,
  now: Date,
  limit: number,
): Promise<Array<Claimed & { decision: Decision }>> {
  const marketing = campaign.category === 'marketing';
  return db.transaction(async (tx) => {
    const cap = marketing
      ? sql`(select count(*) from campaign_recipients x
            join campaigns k on k.id = x.campaign_id join message_drafts dd on dd.id = k.draft_id
            where x.customer_id = r.customer_id and x.campaign_id <> r.campaign_id and k.kind = 'send' and dd.category = 'marketing'
              and x.status in ('sending', 'sent', 'delivered', 'read')
              and coalesce(x.sent_at, x.attempted_at) > ${ts(now)} - interval '7 days')`
      : sql`0`;
    const rows = rowsOf<Claimed>(
      await tx.execute(sql`
        with due as (
          select campaign_id, position from campaign_recipients
          where campaign_id = ${campaign.id} and status = 'queued' and next_attempt_at <= ${ts(now)}
          order by next_attempt_at, position
          limit ${limit}
          for update skip locked
        )
        select r.position, r.customer_id, r.phone, r.attempts, r.limit_deferrals, c.market, c.phone as current_phone,
          c.first_name, c.last_name, c.external_id, ${reasonSql('whatsapp', campaign.category, now)} as reason, ${cap} as recent
        from due
        join campaign_recipients r on r.campaign_id = due.campaign_id and r.position = due.position
        left join (${eligibilityJoins('whatsapp', campaign.category)}) on c.id = r.customer_id
        order by r.position`),
    );
    const decided = rows.map((r) => ({ ...r, decision: decide(r, marketing, settings, now) }));
    if (decided.some((r) => r.decision.status !== 'sending')) {
      await tx.execute(sql`
        update campaign_recipients t set
          status = r.status::recipient_status,
          reason = r.reason,
          next_attempt_at = coalesce(r.next_attempt_at, t.next_attempt_at)
        from ${recordset(
          decided.filter((r) => r.decision.status !== 'sending').map((r) => r.decision),
          'position int, status text, reason text, next_attempt_at timestamptz',
        )}
        where t.campaign_id = ${campaign.id} and t.position = r.position`);
    }
    return decided;
  });
}

function decide(r: Claimed, marketing: boolean, settings: CampaignSending, now: Date): Decision {
  const skip = (reason: string): Decision => ({ position: r.position, status: 'skipped', reason, next_attempt_at: null });
  if (r.reason === null) return skip('erased');
  if (!ALLOWED.includes(r.reason)) return skip(r.reason);
  // Consent was decided for the number the customer gave; a changed number was not asked.
  if (r.current_phone !== r.phone) return skip('no_contact_point');
  if (marketing && Number(r.recent) >= settings.frequencyCap) return skip('frequency_cap');
  const quiet = marketing ? quietUntil(now, r.market ?? '', settings) : null;
  if (quiet) return { position: r.position, status: 'queued', reason: null, next_attempt_at: quiet.toISOString() };
  return { position: r.position, status: 'sending', reason: null, next_attempt_at: null };
}

/**
 * A token bucket per number, across the batches of a run; 0 is no limit. Tokens accrue at the rate while the worker
 * is busy with the database, up to `burst`, so the time spent claiming and recording between batches is made up by
 * the next calls instead of lowering the rate; a call takes a token or waits for the next one.
 */
export class Pacer {
  private tokens = 0;
  private at = performance.now();
  private slowUntil = 0;
  constructor(
    private rate: number,
    private burst = 1,
  ) {}
  setRate(rate: number, burst = 1) {
    this.rate = rate;
    this.burst = Math.max(1, burst);
  }
  /** Meta said too fast, or is failing: a quarter of the rate for a while. */
  slowDown(ms: number) {
    this.slowUntil = Math.max(this.slowUntil, performance.now() + ms);
    this.tokens = Math.min(this.tokens, 0);
  }
  async take(): Promise<void> {
    for (;;) {
      const now = performance.now();
      const slow = now < this.slowUntil;
      const rate = slow ? Math.max(1, (this.rate || 40) / 4) : this.rate;
      if (rate <= 0) return;
      this.tokens = Math.min(slow ? 1 : this.burst, this.tokens + ((now - this.at) * rate) / 1000);
      this.at = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await sleep(((1 - this.tokens) * 1000) / rate);
    }
  }
}

type Answered = { row: Claimed; outcome: Outcome | null; answer: SendAnswer | null };

/**
 * Marks a group `sending` (attempted now, one more attempt), committed before its calls; only rows still queued of a
 * campaign still running (a pause or cancel in between stops the rest) are returned, and only those are called.
 */
async function markSending(db: Queryable, campaignId: number, rows: Claimed[], now: Date): Promise<Set<number>> {
  const marked = rowsOf<{ position: number }>(
    await db.execute(sql`
      update campaign_recipients set status = 'sending', attempted_at = ${ts(now)}, attempts = attempts + 1
      where campaign_id = ${campaignId} and status = 'queued'
        and exists (select 1 from campaigns where id = ${campaignId} and status in ('queued', 'sending'))
        and position in (select unnest(${`{${rows.map((r) => r.position).join(',')}}`}::int[]))
      returning position`),
  );
  return new Set(marked.map((r) => Number(r.position)));
}

/** Calls Meta for each recipient of a group marked `sending`, paced, all in flight at once. */
async function callGroup(campaign: Active, rows: Claimed[], send: SendMessage, pacer: Pacer): Promise<Answered[]> {
  const template = templateOf({ ...campaign, headerExample: campaign.header_example, category: campaign.category, buttons: [] });
  const answered: Answered[] = rows.map((row) => ({ row, outcome: null, answer: null }));
  // Built only when a variable asks for it; the send action refused the campaign when no address was configured.
  const links = campaign.variable_fields.includes('preference_link') ? linkBase() : null;
  const linkOf = (customerId: number | string) => (links?.ok ? preferenceLink(links.base, Number(customerId)) : null);
  let paused = false;
  await Promise.all(
    answered.map(async (item) => {
      await pacer.take();
      // Marked but not called: back to the queue, not an attempt (recordOf sees no outcome).
      if (paused) return;
      const body = sendBody(template, campaign.variable_fields, {
        phone: item.row.phone,
        firstName: item.row.first_name,
        lastName: item.row.last_name,
        externalId: item.row.external_id,
        preferenceLink: linkOf(item.row.customer_id),
      });
      let answer: SendAnswer;
      try {
        answer = await send(body);
      } catch (error) {
        logger.warn({ err: error, campaign: campaign.id }, 'send call threw');
        answer = { ok: false, httpStatus: 0, code: null, title: 'network error' };
      }
      item.answer = answer;
      item.outcome = outcomeOf(answer, item.row.attempts + 1, item.row.limit_deferrals);
      if (item.outcome.kind === 'pause') paused = true;
    }),
  );
  return answered;
}

type Recorded = {
  position: number;
  status: string;
  reason: string | null;
  message_id: string | null;
  error_code: number | null;
  error_title: string | null;
  sent_at: string | null;
  failed_at: string | null;
  next_attempt_at: string | null;
  attempts_back: number;
  deferral: number;
};

function recordOf({ row, outcome, answer }: Answered, now: Date): Recorded {
  const at = now.toISOString();
  const error = answer && !answer.ok ? answer : null;
  const base: Recorded = {
    position: row.position,
    status: 'queued',
    reason: null,
    message_id: null,
    error_code: error?.code ?? null,
    error_title: error ? (error.detail ? `${error.title}: ${error.detail}` : error.title) : null,
    sent_at: null,
    failed_at: null,
    next_attempt_at: null,
    attempts_back: 0,
    deferral: 0,
  };
  // Not called (the campaign paused first) or refused for the campaign's sake: back in the queue, not an attempt.
  if (outcome === null || outcome.kind === 'pause')
    return { ...base, attempts_back: 1, error_code: null, error_title: null, next_attempt_at: at };
  switch (outcome.kind) {
    case 'sent':
      return { ...base, status: 'sent', message_id: outcome.messageId, sent_at: at };
    case 'retry':
      return { ...base, next_attempt_at: new Date(now.getTime() + outcome.retryInMs).toISOString() };
    case 'defer_user_limit':
      return { ...base, deferral: 1, next_attempt_at: new Date(now.getTime() + outcome.retryInMs).toISOString() };
    case 'marketing_stopped':
      return { ...base, status: 'failed', reason: 'marketing_stopped', failed_at: at };
    case 'failed':
      return { ...base, status: 'failed', reason: outcome.reason, failed_at: at };
  }
}

const RECORD_COLUMNS =
  'position int, status text, reason text, message_id text, error_code int, error_title text, sent_at timestamptz, failed_at timestamptz, next_attempt_at timestamptz, attempts_back int, deferral int';

/** Records the answers of a batch in one transaction, with the withdrawals 131050 means and a pause if one was asked. */
async function record(
  db: Queryable,
  campaign: Active,
  answered: Answered[],
  now: Date,
): Promise<{ pause: { reason: PauseReason; detail: string } | null }> {
  const rows = answered.map((a) => recordOf(a, now));
  const stops: MarketingStop[] = answered
    .filter((a) => a.outcome?.kind === 'marketing_stopped' && a.answer && !a.answer.ok)
    .map((a) => {
      const error = a.answer as Extract<SendAnswer, { ok: false }>;
      return {
        phone: a.row.phone,
        reference: `campaign ${campaign.id} recipient ${a.row.position}`,
        occurredAt: now,
        code: error.code ?? 0,
        title: error.title,
        ...(error.detail ? { detail: error.detail } : {}),
      };
    });
  const paused = answered.find((a) => a.outcome?.kind === 'pause');
  const pause =
    paused && paused.outcome?.kind === 'pause' && paused.answer && !paused.answer.ok
      ? {
          reason: paused.outcome.reason,
          detail: [paused.answer.code, paused.answer.title, paused.answer.detail].filter(Boolean).join(' · '),
        }
      : null;
  await retryDeadlock(() =>
    db.transaction(async (tx) => {
      // A status webhook may have come first for a call of this batch (and found the row by its phone): it stays.
      await tx.execute(sql`
      update campaign_recipients t set
        status = r.status::recipient_status,
        reason = r.reason,
        message_id = r.message_id,
        error_code = r.error_code,
        error_title = r.error_title,
        sent_at = r.sent_at,
        failed_at = r.failed_at,
        next_attempt_at = coalesce(r.next_attempt_at, t.next_attempt_at),
        attempted_at = case when r.attempts_back = 1 then null else t.attempted_at end,
        attempts = t.attempts - r.attempts_back,
        limit_deferrals = t.limit_deferrals + r.deferral
      from ${recordset(rows, RECORD_COLUMNS)}
      where t.campaign_id = ${campaign.id} and t.position = r.position and t.message_id is null
        and (t.status = 'sending' or (t.status = 'failed' and t.reason = 'interrupted'))`);
      if (stops.length) await recordMarketingStops(tx, stops, now);
      if (pause)
        await tx.execute(sql`update campaigns set status = 'paused', paused_reason = ${pause.reason}, paused_detail = ${pause.detail}
        where id = ${campaign.id} and status in ('queued', 'sending')`);
    }),
  );
  if (pause) logger.warn({ campaign: campaign.id, reason: pause.reason }, 'campaign paused by Meta answer');
  return { pause };
}

function batchSize(rate: number): number {
  return rate <= 0 ? UNLIMITED_BATCH : Math.max(1, Math.min(UNLIMITED_BATCH, Math.floor((rate * DECISION_WINDOW_MS) / 1000)));
}

/**
 * Sends from one business phone number until its campaigns are done, nothing is due, the slice ends or another worker
 * holds the number. One worker per number at a time (the lease), so the number's rate is kept across instances.
 */
export async function runSender(db: Queryable, phoneNumberId: string, options: SenderOptions): Promise<SenderResult> {
  const owner = options.owner ?? randomUUID();
  const leaseMs = options.leaseMs ?? LEASE_MS;
  const clock = options.now ?? (() => new Date());
  const lease = await takeLease(db, phoneNumberId, owner, leaseMs);
  if (!lease.ok) return { state: 'busy' };
  try {
    // This worker holds the number and has nothing in flight: whatever is `sending` was left by one that is gone.
    await reconcileInterrupted(db, phoneNumberId, clock());
    const settings = await readSetting(db, 'campaign_sending');
    const pacer = new Pacer(settings.ratePerSecond);
    const started = performance.now();
    let streak = 0;
    while (performance.now() - started < (options.sliceMs ?? Infinity)) {
      if (options.signal?.aborted) return { state: 'more' };
      const campaigns = await activeCampaigns(db, phoneNumberId);
      if (campaigns.length === 0) return { state: 'idle' };
      let later = null as Date | null;
      let worked = false;
      for (const campaign of campaigns) {
        const rate = campaign.rate_per_second ?? settings.ratePerSecond;
        pacer.setRate(rate, batchSize(rate));
        const now = clock();
        if (campaign.status === 'queued')
          await db.execute(sql`update campaigns set status = 'sending', started_at = coalesce(started_at, ${ts(now)})
            where id = ${campaign.id} and status = 'queued'`);
        const claimed = await claim(db, campaign, settings, now, batchSize(rate));
        if (claimed.length === 0) {
          const next = await finishOrNextDue(db, campaign.id, now);
          if (next instanceof Date) later = later && later < next ? later : next;
          continue;
        }
        worked = true;
        const going = claimed.filter((r) => r.decision.status === 'sending');
        // Group by group, as many as the calls in flight: marked `sending` just before their calls and recorded right
        // after, so a worker killed mid-batch leaves at most one group in flight; the rest is still queued.
        const lanes = Math.max(1, options.concurrency ?? (rate <= 0 ? 64 : 16));
        let pause: Awaited<ReturnType<typeof record>>['pause'] = null;
        let temporary = 0;
        let called = 0;
        for (let start = 0; start < going.length && !pause; start += lanes) {
          const group = going.slice(start, start + lanes);
          const marked = await markSending(db, campaign.id, group, clock());
          if (marked.size === 0) break;
          const answered = await callGroup(
            campaign,
            group.filter((r) => marked.has(Number(r.position))),
            options.send,
            pacer,
          );
          ({ pause } = await record(db, campaign, answered, clock()));
          temporary += answered.filter((a) => a.outcome?.kind === 'retry').length;
          called += answered.length;
        }
        // Meta failing or saying too fast: slow down, longer each batch it goes on, back to the rate once it answers.
        if (temporary > 0 && temporary >= called / 2) {
          streak++;
          pacer.slowDown(backoffMs(streak));
          await sleep(Math.min(30_000, 250 * 2 ** Math.min(streak, 7)));
        } else streak = 0;
        if (!(await takeLease(db, phoneNumberId, owner, leaseMs)).ok) return { state: 'busy' };
        if (pause) break;
        // One batch at a time, then the oldest campaign again: it goes first while it has due recipients.
        break;
      }
      if (!worked) {
        if (later) return { state: 'later', at: later };
        // Recipients in flight of a dead worker were reconciled at the start; anything else means a batch still runs.
        return { state: 'idle' };
      }
    }
    return { state: 'more' };
  } finally {
    await releaseLease(db, phoneNumberId, owner).catch((error: unknown) => logger.warn({ err: error }, 'lease release failed'));
  }
}
