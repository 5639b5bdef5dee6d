// Reads for the complaint pages.
import type { SQL } from 'drizzle-orm';
import { and, asc, count, desc, eq, gte, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Queryable } from '@/db';
import { getDb } from '@/db';
import { campaigns, complaints, customers, messageDrafts, users } from '@/db/schema';
import { readPhone } from '@/lib/import/values';
import type { ComplaintFilter } from './filter';

export const COMPLAINT_PAGE_SIZE = 50;
const DAY = 86_400_000;

function conditions(f: ComplaintFilter): SQL | undefined {
  const c: SQL[] = [];
  if (f.status === 'unresolved') c.push(ne(complaints.status, 'resolved'));
  else if (f.status) c.push(eq(complaints.status, f.status));
  if (f.kind) c.push(eq(complaints.kind, f.kind));
  if (f.channel) c.push(eq(complaints.channel, f.channel));
  if (f.market) c.push(eq(complaints.market, f.market));
  if (f.from) c.push(gte(complaints.receivedAt, new Date(`${f.from}T00:00:00Z`)));
  if (f.to) c.push(lt(complaints.receivedAt, new Date(Date.parse(`${f.to}T00:00:00Z`) + DAY)));
  return c.length ? and(...c) : undefined;
}

const assignee = alias(users, 'assignee');

const listColumns = {
  id: complaints.id,
  receivedAt: complaints.receivedAt,
  kind: complaints.kind,
  channel: complaints.channel,
  market: complaints.market,
  status: complaints.status,
  urgent: complaints.urgent,
  description: complaints.description,
  customerId: complaints.customerId,
  firstName: customers.firstName,
  lastName: customers.lastName,
  contactEmail: complaints.contactEmail,
  contactPhone: complaints.contactPhone,
  campaignId: complaints.campaignId,
  assigneeName: assignee.name,
  resolutionNote: complaints.resolutionNote,
};

export async function listComplaints(f: ComplaintFilter, q?: Queryable) {
  const db = q ?? (await getDb());
  const where = conditions(f);
  const [rows, [total]] = await Promise.all([
    db
      .select(listColumns)
      .from(complaints)
      .leftJoin(customers, eq(customers.id, complaints.customerId))
      .leftJoin(assignee, eq(assignee.id, complaints.assigneeId))
      .where(where)
      .orderBy(desc(complaints.receivedAt), desc(complaints.id))
      .limit(COMPLAINT_PAGE_SIZE)
      .offset((f.page - 1) * COMPLAINT_PAGE_SIZE),
    db.select({ n: count() }).from(complaints).where(where),
  ]);
  const n = total?.n ?? 0;
  return { rows, total: n, pages: Math.max(1, Math.ceil(n / COMPLAINT_PAGE_SIZE)) };
}

/** Every complaint the filter selects, for the CSV export (bounded). */
export async function complaintsForExport(f: ComplaintFilter, limit = 100_000) {
  const db = await getDb();
  return db
    .select(listColumns)
    .from(complaints)
    .leftJoin(customers, eq(customers.id, complaints.customerId))
    .leftJoin(assignee, eq(assignee.id, complaints.assigneeId))
    .where(conditions(f))
    .orderBy(desc(complaints.receivedAt), desc(complaints.id))
    .limit(limit);
}
export type ComplaintRow = Awaited<ReturnType<typeof complaintsForExport>>[number];

export async function complaintDetail(id: number) {
  const db = await getDb();
  const creator = alias(users, 'creator');
  const [row] = await db
    .select({
      ...listColumns,
      assigneeId: complaints.assigneeId,
      customerEmail: customers.email,
      customerPhone: customers.phone,
      createdByName: creator.name,
      createdAt: complaints.createdAt,
      updatedAt: complaints.updatedAt,
      campaignName: messageDrafts.name,
    })
    .from(complaints)
    .leftJoin(customers, eq(customers.id, complaints.customerId))
    .leftJoin(assignee, eq(assignee.id, complaints.assigneeId))
    .leftJoin(creator, eq(creator.id, complaints.createdBy))
    .leftJoin(campaigns, eq(campaigns.id, complaints.campaignId))
    .leftJoin(messageDrafts, eq(messageDrafts.id, campaigns.draftId))
    .where(eq(complaints.id, id));
  return row ?? null;
}

/** The people complaints can be assigned to: active users who may work on them. */
export async function complaintAssignees() {
  const db = await getDb();
  return db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.active, true), inArray(users.role, ['admin', 'seller', 'support'])))
    .orderBy(asc(users.name));
}

/** Recently sent campaigns a complaint can point at. */
export async function recentCampaigns(limit = 50) {
  const db = await getDb();
  return db
    .select({ id: campaigns.id, name: messageDrafts.name, exportedAt: campaigns.exportedAt })
    .from(campaigns)
    .innerJoin(messageDrafts, eq(messageDrafts.id, campaigns.draftId))
    .orderBy(desc(campaigns.exportedAt))
    .limit(limit);
}

/** Customers matching a phone number in any format, an e-mail address or a name; phone and e-mail use their indexes. */
export async function findCustomers(query: string, limit = 10) {
  const db = await getDb();
  const q = query.trim();
  if (q.length < 2) return [];
  const matches: SQL[] = [];
  const phones = new Set<string>();
  for (const market of [null, 'DE', 'PL', 'AT', 'FR']) {
    const phone = readPhone(q, market);
    if (phone) phones.add(phone);
  }
  if (phones.size) matches.push(inArray(customers.phone, [...phones]));
  if (q.includes('@')) matches.push(eq(customers.email, q.toLowerCase()));
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  if (!phones.size && !q.includes('@') && words.length) {
    const like = (w: string) => `${w.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    const last = words[words.length - 1]!;
    const first = words.length > 1 ? words[0]! : null;
    // The name index is on (lower(last_name), lower(first_name)): a prefix of the last name uses it.
    matches.push(
      first
        ? and(sql`lower(${customers.lastName}) like ${like(last)}`, sql`lower(${customers.firstName}) like ${like(first)}`)!
        : or(sql`lower(${customers.lastName}) like ${like(last)}`, sql`lower(${customers.firstName}) = ${last}`)!,
    );
  }
  return db
    .select({
      id: customers.id,
      firstName: customers.firstName,
      lastName: customers.lastName,
      email: customers.email,
      phone: customers.phone,
      market: customers.market,
    })
    .from(customers)
    .where(and(isNull(customers.erasedAt), or(...matches)))
    .orderBy(asc(customers.id))
    .limit(limit);
}

export async function customerSummary(id: number) {
  const db = await getDb();
  const [row] = await db
    .select({
      id: customers.id,
      firstName: customers.firstName,
      lastName: customers.lastName,
      email: customers.email,
      phone: customers.phone,
      market: customers.market,
    })
    .from(customers)
    .where(eq(customers.id, id));
  return row ?? null;
}
