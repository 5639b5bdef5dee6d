// Planning an import: rejecting repeated rows, applying suppressions, matching rows to customers and counting what a
// commit would write. Set-based over the staging rows; the dry run plans to show, the commit plans again to write.
import type { SQL } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { rowsOf } from '@/db/sql';
import type { Channel } from '@/lib/consent';
import type { ContactKind } from '@/lib/suppressions';
import { ERASED_REASON } from '@/lib/suppressions';
import { CHANNELS } from '@/lib/consent';
import type { Mapping } from './fields';
import { FIRST_ISSUES } from './staging';
import type { DryRunSummary, IssueAt } from './types';

/** Rows that repeat an earlier row's external id, e-mail or phone are rejected and point at that row. */
export async function markDuplicates(
  q: Queryable,
  batchId: number,
  header: string[],
  mapping: Mapping,
  firstErrors: IssueAt[],
): Promise<void> {
  const keys = [
    { column: 'external_id', code: 'duplicate_external_id', target: 'externalId' },
    { column: 'email', code: 'duplicate_email', target: 'email' },
    { column: 'phone', code: 'duplicate_phone', target: 'phone' },
  ] as const;
  for (const key of keys) {
    const i = mapping.indexOf(key.target);
    if (i < 0) continue;
    const col = sql.raw(key.column);
    const issue = sql`jsonb_build_array(jsonb_build_object('code', ${key.code}::text, 'column', ${header[i] ?? key.column}::text, 'value', r.${col}, 'otherRow', d.first))::text`;
    // Grouping (hashing) the values finds the few that repeat without sorting every row.
    const marked = rowsOf<{ row_no: number; line: number; value: string; first: number }>(
      await q.execute(sql`
        with d as (
          select ${col} as value, min(row_no) as first
          from import_rows where batch_id = ${batchId} and outcome is null and ${col} is not null
          group by ${col} having count(*) > 1)
        update import_rows r set outcome = 'rejected', error = ${issue}
        from d
        where r.batch_id = ${batchId} and r.outcome is null and r.${col} = d.value and r.row_no <> d.first
        returning r.row_no, r.line, r.${col} as value, d.first`),
    );
    for (const m of marked.sort((a, b) => a.row_no - b.row_no)) {
      if (firstErrors.length >= FIRST_ISSUES) break;
      firstErrors.push({ code: key.code, column: header[i] ?? null, value: m.value, otherRow: m.first, row: m.row_no, line: m.line });
    }
  }
  firstErrors.sort((a, b) => a.row - b.row);
  firstErrors.splice(FIRST_ISSUES);
  // The consents of the rows rejected here stay in staging: only rows in the plan (never rejected ones) are written.
}

const PHONE_CHANNELS = CHANNELS.filter((c) => c !== 'email');

/**
 * A suppressed contact point stays withdrawn for the channels and purposes it was suppressed for: its grants of those
 * in the file are dropped (with a warning) and the row brings a withdrawal of each, dated when the contact point was
 * suppressed. A marketing-only suppression leaves the row's transactional answers as the file gives them.
 */
export async function applySuppressions(q: Queryable, batchId: number, firstWarnings: IssueAt[]): Promise<void> {
  const channelsOf = sql`case when s.kind = 'email' then array['email']::channel[] else ${`{${PHONE_CHANNELS.join(',')}}`}::channel[] end`;
  const hits = sql`
    select r.row_no, r.line, s.kind::text as kind, s.created_at, s.reason, ch.channel, p.purpose
    from import_rows r
    join suppressions s on (s.kind = 'email' and s.value_hash = r.email_hash) or (s.kind = 'phone' and s.value_hash = r.phone_hash)
    cross join lateral unnest(${channelsOf}) as ch(channel)
    cross join (values ('marketing'::purpose), ('transactional'::purpose)) as p(purpose)
    where r.batch_id = ${batchId} and r.outcome is null and (s.channel is null or s.channel = ch.channel)
      and (s.purpose is null or s.purpose = p.purpose)`;
  const dropped = rowsOf<{ row_no: number; line: number; channel: Channel }>(
    await q.execute(sql`
      with h as (${hits}),
      del as (
        delete from import_consents c using h
        where c.batch_id = ${batchId} and c.row_no = h.row_no and c.channel = h.channel and c.purpose = h.purpose and c.kind = 'granted'
        returning c.row_no, h.line, c.channel),
      warned as (
        update import_rows r set warnings = coalesce(r.warnings, '[]'::jsonb) || w.list
        from (select row_no, jsonb_agg(distinct jsonb_build_object('code', 'suppressed_contact', 'column', null, 'value', channel)) as list
              from del group by row_no) w
        where r.batch_id = ${batchId} and r.row_no = w.row_no)
      select distinct row_no, line, channel from del`),
  );
  // One withdrawal per row, channel and purpose, from the earliest suppression; none where the row already brings a
  // withdrawal of the same second, which would be the same ledger event.
  await q.execute(sql`
    with h as (${hits}),
    w as (
      select distinct on (h.row_no, h.channel, h.purpose) h.row_no, h.channel, h.purpose, h.created_at, h.reason, h.kind
      from h
      order by h.row_no, h.channel, h.purpose, h.created_at)
    insert into import_consents (batch_id, row_no, channel, purpose, kind, source, occurred_at, evidence)
    select ${batchId}::int, w.row_no, w.channel, w.purpose, 'withdrawn'::consent_event_kind, 'suppression', w.created_at, jsonb_build_object('reason', w.reason, 'contactPoint', w.kind)
    from w
    where not exists (
      select 1 from import_consents x
      where x.batch_id = ${batchId} and x.row_no = w.row_no and x.channel = w.channel and x.purpose = w.purpose and x.kind = 'withdrawn'
        and floor(extract(epoch from x.occurred_at)) = floor(extract(epoch from w.created_at)))`);
  for (const d of dropped.sort((a, b) => a.row_no - b.row_no)) {
    if (firstWarnings.length >= FIRST_ISSUES) break;
    firstWarnings.push({ code: 'suppressed_contact', column: null, value: d.channel, row: d.row_no, line: d.line });
  }
  // A row with the contact point of an erased person says so whatever it brings, naming the kind of contact point and
  // never the person: it starts withdrawn on every channel, as the suppression says.
  const erased = rowsOf<{ row_no: number; line: number; kind: ContactKind }>(
    await q.execute(sql`
      with e as (
        select distinct r.row_no, r.line, s.kind::text as kind
        from import_rows r
        join suppressions s on (s.kind = 'email' and s.value_hash = r.email_hash) or (s.kind = 'phone' and s.value_hash = r.phone_hash)
        where r.batch_id = ${batchId} and r.outcome is null and s.reason = ${ERASED_REASON}
          -- A commit applies suppressions again when some came after the dry run: a row says it once.
          and not coalesce(r.warnings, '[]'::jsonb) @> jsonb_build_array(jsonb_build_object('code', 'erased_contact', 'value', s.kind::text))),
      warned as (
        update import_rows r set warnings = coalesce(r.warnings, '[]'::jsonb) || w.list
        from (select row_no, jsonb_agg(jsonb_build_object('code', 'erased_contact', 'column', null, 'value', kind) order by kind) as list
              from e group by row_no) w
        where r.batch_id = ${batchId} and r.row_no = w.row_no)
      select row_no, line, kind from e order by row_no, kind`),
  );
  for (const e of erased) {
    if (firstWarnings.length >= FIRST_ISSUES) break;
    firstWarnings.push({ code: 'erased_contact', column: null, value: e.kind, row: e.row_no, line: e.line });
  }
}

// The idempotency key of an imported event: the same answer for the same customer is written once, whichever file brings it.
export const eventKey = (customerId: SQL) =>
  sql`'import:' || ${customerId} || ':' || c.channel || ':' || c.purpose || ':' || c.kind || ':' || coalesce(floor(extract(epoch from c.occurred_at))::bigint::text, 'undated')`;

/**
 * Matches the valid rows to existing customers (external id, then e-mail, then phone) and sorts them into new,
 * updated and unchanged, in a plan table of this transaction; with `assignIds` new rows get their customer ids.
 * The answers of matched rows that the ledger does not hold yet go into a second table, so that the ledger is probed
 * once per answer. Set-based: each key is matched in one join (hashed for a large file), not looked up row by row,
 * and only rows no earlier key matched are matched by the next.
 */
export async function plan(q: Queryable, batchId: number, assignIds: boolean): Promise<void> {
  await q.execute(sql`create temp table if not exists import_plan (row_no int, customer_id bigint, outcome text) on commit drop`);
  await q.execute(sql`create temp table if not exists import_unwritten (row_no int, channel channel) on commit drop`);
  await q.execute(sql`truncate import_plan, import_unwritten`);
  await q.execute(sql`
    create temp table import_matched on commit drop as
    with r as materialized (
      select row_no, external_id, first_name, last_name, email, phone, market, language, last_order_at, marketplace
      from import_rows where batch_id = ${batchId} and outcome is null),
    by_external_id as materialized (select r.*, x.id from r left join customers x on x.external_id = r.external_id),
    by_email as materialized (
      select b.row_no, min(c.id) as id from by_external_id b join customers c on c.email = b.email
      where b.id is null group by b.row_no),
    by_phone as (
      select b.row_no, min(c.id) as id from by_external_id b join customers c on c.phone = b.phone
      where b.id is null and not exists (select 1 from by_email e where e.row_no = b.row_no) group by b.row_no)
    select b.row_no, b.external_id, b.first_name, b.last_name, b.email, b.phone, b.market, b.language, b.last_order_at,
           b.marketplace, coalesce(b.id, e.id, p.id) as id
    from by_external_id b
    left join by_email e on e.row_no = b.row_no
    left join by_phone p on p.row_no = b.row_no`);
  await q.execute(sql`analyze import_matched`);
  // Answers of matched rows that the ledger does not hold yet: the events such a row would add.
  await q.execute(sql`
    insert into import_unwritten (row_no, channel)
    select c.row_no, c.channel from import_consents c join import_matched m on m.row_no = c.row_no
    where c.batch_id = ${batchId} and m.id is not null
      and not exists (select 1 from consent_events e where e.idempotency_key = ${eventKey(sql`m.id`)})`);
  const newId = assignIds ? sql`nextval(pg_get_serial_sequence('customers', 'id'))` : sql`null::bigint`;
  await q.execute(sql`
    insert into import_plan (row_no, customer_id, outcome)
    select m.row_no, coalesce(m.id, ${newId}),
      case when m.id is null then 'new' when
        (m.external_id is not null and m.external_id is distinct from x.external_id) or
        (m.first_name is not null and m.first_name is distinct from x.first_name) or
        (m.last_name is not null and m.last_name is distinct from x.last_name) or
        (m.email is not null and m.email is distinct from x.email) or
        (m.phone is not null and m.phone is distinct from x.phone) or
        (m.market is not null and m.market is distinct from x.market) or
        (m.language is not null and m.language is distinct from x.language) or
        (m.last_order_at is not null and m.last_order_at is distinct from x.last_order_at) or
        (m.marketplace is not null and x.marketplace is null) or
        exists (select 1 from import_unwritten u where u.row_no = m.row_no)
      then 'updated' else 'unchanged' end
    from import_matched m
    left join customers x on x.id = m.id
    order by m.row_no`);
  await q.execute(sql`drop table import_matched`);
  await q.execute(sql`analyze import_plan`);
}

export async function summarize(q: Queryable, batchId: number, firstErrors: IssueAt[], firstWarnings: IssueAt[]): Promise<DryRunSummary> {
  const [counts] = rowsOf<Required<Pick<DryRunSummary, 'rows' | 'new' | 'updated' | 'unchanged' | 'rejected' | 'warned' | 'marketplace'>>>(
    await q.execute(sql`
      select (select count(*) from import_rows where batch_id = ${batchId})::int as rows,
             count(*) filter (where outcome = 'new')::int as new,
             count(*) filter (where outcome = 'updated')::int as updated,
             count(*) filter (where outcome = 'unchanged')::int as unchanged,
             (select count(*) from import_rows where batch_id = ${batchId} and outcome = 'rejected')::int as rejected,
             (select count(*) from import_rows where batch_id = ${batchId} and outcome is null and warnings is not null)::int as warned,
             (select count(*) from import_rows where batch_id = ${batchId} and outcome is null and marketplace is not null)::int as marketplace
      from import_plan`),
  );
  // Every answer of a new row is written; of a matched row, those plan() found missing from the ledger.
  const perChannel = rowsOf<{ channel: Channel; n: number }>(
    await q.execute(sql`
      select channel, count(*)::int as n from (
        select c.channel from import_consents c join import_plan p on p.row_no = c.row_no
        where c.batch_id = ${batchId} and p.outcome = 'new'
        union all
        select channel from import_unwritten) a
      group by channel`),
  );
  const events = Object.fromEntries(CHANNELS.map((ch) => [ch, perChannel.find((p) => p.channel === ch)?.n ?? 0])) as Record<
    Channel,
    number
  >;
  return { ...counts!, events, firstErrors, firstWarnings };
}
