// The audit trail: who changed what, with the state before and after.
import { auditLog } from '@/db/schema';
import type { Queryable } from '@/db';

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

/** Several entries in one statement. */
export async function writeAudits(q: Queryable, entries: readonly AuditInput[]): Promise<void> {
  if (entries.length === 0) return;
  await q.insert(auditLog).values(
    entries.map((entry) => ({
      actorId: entry.actorId,
      action: entry.action,
      entity: entry.entity,
      entityId: entry.entityId == null ? null : String(entry.entityId),
      before: entry.before ?? null,
      after: entry.after ?? null,
    })),
  );
}
