// Creating or updating a customer through the API: found by external id, else by e-mail, else by phone. A contact
// point suppressed before brings its withdrawal to the record, as an import does.
import type { SQL } from 'drizzle-orm';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { customers } from '@/db/schema';
import { applySuppressionsTo } from '@/lib/suppressions/contact-point';
import type { FieldError, ProblemName } from './problem';
import type { CustomerAnswer, CustomerInput } from './schemas';

export const API_SOURCE = 'api';

export type UpsertResult =
  { ok: true; customer: CustomerAnswer; changed: string[] } | { ok: false; problem: ProblemName; detail: string; errors?: FieldError[] };

type Row = typeof customers.$inferSelect;

const UPDATABLE = [
  'externalId',
  'email',
  'phone',
  'market',
  'firstName',
  'lastName',
  'language',
  'lastOrderAt',
  'objectionNoticeAt',
] as const;

function answerOf(row: Row, created: boolean, withdrawn: number): CustomerAnswer {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: row.id,
    externalId: row.externalId,
    email: row.email,
    phone: row.phone,
    market: row.market,
    firstName: row.firstName,
    lastName: row.lastName,
    language: row.language,
    lastOrderAt: iso(row.lastOrderAt),
    objectionNoticeAt: iso(row.objectionNoticeAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    created,
    withdrawnBySuppression: withdrawn,
  };
}

/** The records the input names: by external id when it has one, else by e-mail, else by phone (erased ones included). */
async function matches(tx: Queryable, input: CustomerInput): Promise<{ by: string; rows: Row[] }> {
  const find = async (by: string, where: SQL) => ({
    by,
    rows: await tx.select().from(customers).where(where).orderBy(customers.id).limit(2),
  });
  if (input.externalId) return find('externalId', eq(customers.externalId, input.externalId));
  if (input.email) return find('email', and(eq(customers.email, input.email), isNull(customers.erasedAt))!);
  return find('phone', and(eq(customers.phone, input.phone!), isNull(customers.erasedAt))!);
}

/** Creates or updates the customer inside the caller's transaction. */
export async function upsertCustomer(tx: Queryable, input: CustomerInput): Promise<UpsertResult> {
  const found = await matches(tx, input);
  if (found.rows.length > 1) {
    return { ok: false, problem: 'ambiguous', detail: `Several customers have this ${found.by}; name the customer by externalId.` };
  }
  const existing = found.rows[0];
  if (existing?.erasedAt) return { ok: false, problem: 'erased', detail: 'This customer was erased; their data cannot be written again.' };
  const values = Object.fromEntries(UPDATABLE.filter((f) => input[f] !== undefined).map((f) => [f, input[f]])) as Partial<Row>;

  let row: Row | undefined;
  let created = false;
  if (existing) {
    row = (
      await tx
        .update(customers)
        .set({ ...values, updatedAt: sql`now()` })
        .where(eq(customers.id, existing.id))
        .returning()
    )[0];
  } else {
    if (!input.market) {
      return {
        ok: false,
        problem: 'invalid',
        detail: 'A new customer needs a market.',
        errors: [{ field: 'market', detail: 'Required for a new customer.' }],
      };
    }
    row = (
      await tx
        .insert(customers)
        .values({ ...values, market: input.market, source: API_SOURCE })
        .returning()
    )[0];
    created = true;
  }
  const changed = Object.keys(values).filter((f) => !existing || String(existing[f as keyof Row]) !== String(values[f as keyof Row]));
  let withdrawn = 0;
  const newContact = created || changed.includes('email') || changed.includes('phone');
  if (newContact && (row!.email || row!.phone)) {
    withdrawn = await applySuppressionsTo(tx, [row!.id]);
  }
  return { ok: true, customer: answerOf(row!, created, withdrawn), changed };
}
