// Confirmation requests for customers already pending (an import's "yes" in a double opt-in market): for the customers
// of a filtered list who have an e-mail address and a grant waiting for confirmation, page by page.
import { and, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Db, Queryable } from '@/db';
import type { ConfirmationItem, ConfirmationRun } from '@/db/schema';
import { confirmationRuns, customers } from '@/db/schema';
import { writeAudit } from '@/lib/audit/write';
import type { CustomerFilter } from '@/lib/customers/filter';
import { customerFilterSchema } from '@/lib/customers/filter';
import { exportCustomers } from '@/lib/customers/queries';
import { publicLocale } from '@/lib/public/locale';
import type { IssuedConfirmation } from './confirm';
import { createConfirmation, pendingItems } from './confirm';

export type PendingCustomer = {
  id: number;
  externalId: string | null;
  email: string;
  market: string;
  language: string;
  items: ConfirmationItem[];
};

const PAGE = 500;

/** The customers of the list who can be asked to confirm, a page at a time, in id order. */
export async function* pendingCustomers(db: Queryable, filter: CustomerFilter, now = new Date()): AsyncGenerator<PendingCustomer[]> {
  let page: number[] = [];
  const flush = async (ids: number[]): Promise<PendingCustomer[]> => {
    const [rows, items] = await Promise.all([
      db
        .select({
          id: customers.id,
          externalId: customers.externalId,
          email: customers.email,
          market: customers.market,
          language: customers.language,
        })
        .from(customers)
        .where(and(inArray(customers.id, ids), isNull(customers.erasedAt), isNotNull(customers.email)))
        .orderBy(customers.id),
      pendingItems(db, ids),
    ]);
    return rows.flatMap((c) => {
      const pending = items.get(c.id);
      if (!pending?.length || !c.email) return [];
      return [{ ...c, email: c.email, language: publicLocale(c.language, null, c.market), items: pending }];
    });
  };
  for await (const row of exportCustomers({ ...filter, page: 1 }, now, db)) {
    page.push(Number(row.id));
    if (page.length === PAGE) {
      const found = await flush(page);
      page = [];
      if (found.length) yield found;
    }
  }
  if (page.length) {
    const found = await flush(page);
    if (found.length) yield found;
  }
}

/** A confirmation request for each customer of a page, in one transaction. */
export async function issueForPage(
  db: Db,
  page: readonly PendingCustomer[],
  context: { shopName: string; runId?: number | null; actorId: number | null },
  now = new Date(),
): Promise<Array<{ customer: PendingCustomer; issued: IssuedConfirmation }>> {
  return db.transaction(async (tx) => {
    const out: Array<{ customer: PendingCustomer; issued: IssuedConfirmation }> = [];
    for (const customer of page) {
      const issued = await createConfirmation(
        tx,
        {
          customerId: customer.id,
          items: customer.items,
          shopName: context.shopName,
          language: customer.language,
          runId: context.runId ?? null,
          createdBy: context.actorId,
        },
        now,
      );
      out.push({ customer, issued });
    }
    return out;
  });
}

/** The filter as stored with a run: its URL form, read back through the list's own schema. */
export function storedFilter(value: Record<string, unknown>): CustomerFilter {
  return customerFilterSchema.parse(value);
}

/** Creates a run of confirmation mails (the job is queued by the caller in the same transaction), audited. */
export async function createRun(
  tx: Queryable,
  input: { filter: CustomerFilter; shopName: string; baseUrl: string; actorId: number },
): Promise<ConfirmationRun> {
  const { page: _page, ...filter } = input.filter;
  const [run] = await tx
    .insert(confirmationRuns)
    .values({ filter, shopName: input.shopName, baseUrl: input.baseUrl, createdBy: input.actorId })
    .returning();
  await writeAudit(tx, {
    actorId: input.actorId,
    action: 'confirmation.send',
    entity: 'confirmation_run',
    entityId: run!.id,
    after: { filter, shopName: input.shopName },
  });
  return run!;
}

/** The latest runs, newest first, for the page that starts them. */
export async function recentRuns(db: Queryable, limit = 10): Promise<ConfirmationRun[]> {
  return db.select().from(confirmationRuns).orderBy(desc(confirmationRuns.id)).limit(limit);
}

/** Whether a run is waiting or sending now: a second one would mail the same customers twice. */
export async function runInProgress(db: Queryable): Promise<boolean> {
  const [row] = await db
    .select({ n: sql<number>`count(*)` })
    .from(confirmationRuns)
    .where(inArray(confirmationRuns.status, ['queued', 'running']));
  return Number(row?.n ?? 0) > 0;
}

export async function getRun(db: Queryable, id: number): Promise<ConfirmationRun | undefined> {
  return (await db.select().from(confirmationRuns).where(eq(confirmationRuns.id, id)))[0];
}
