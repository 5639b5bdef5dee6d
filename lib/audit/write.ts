// The audit trail: who changed or read what, with the state before and after. The database chains the entries
// (db/sql/audit-chain.sql): write them with ids and counts, never a person's data, which retention could not remove.
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

// What an entry brings: at is the transaction's time, and the chain's seq and hashes are the insert trigger's.
const ENTRY = columnList(auditLog, { pick: ['actorId', 'action', 'entity', 'entityId', 'before', 'after'] });
type Chained = 'seq' | 'prevHash' | 'hash';

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
    } satisfies Omit<typeof auditLog.$inferInsert, Chained> as typeof auditLog.$inferInsert),
  );
  await q.execute(sql`insert into audit_log (${ENTRY.list}) select ${ENTRY.list} from ${recordset(rows, ENTRY.definitions)}`);
}
