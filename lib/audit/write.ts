// The audit trail: who changed what, with the state before and after.
import { sql } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { columnList } from '@/db/columns';
import { auditLog } from '@/db/schema';
import { recordset } from '@/db/sql';

export type AuditInput = {
  actorId: number | null;
  action: string;
  entity: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
};

export async function writeAudit(q: Queryable, entry: AuditInput): Promise<void> {
  await writeAudits(q, [entry]);
}

// What an entry brings (at is the transaction's time).
const ENTRY = columnList(auditLog, { omit: ['at'] });

/** Several entries in one statement. */
export async function writeAudits(q: Queryable, entries: readonly AuditInput[]): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map((entry) =>
    ENTRY.record({
      actorId: entry.actorId,
      action: entry.action,
      entity: entry.entity,
      entityId: entry.entityId == null ? null : String(entry.entityId),
      before: entry.before ?? null,
      after: entry.after ?? null,
    }),
  );
  await q.execute(sql`insert into audit_log (${ENTRY.list}) select ${ENTRY.list} from ${recordset(rows, ENTRY.definitions)}`);
}
