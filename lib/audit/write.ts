// The audit trail: who changed what, with the state before and after.
import { sql } from 'drizzle-orm';
import type { Queryable } from '@/db';
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

/** Several entries in one statement. */
export async function writeAudits(q: Queryable, entries: readonly AuditInput[]): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map((entry) => ({
    actor_id: entry.actorId,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId == null ? null : String(entry.entityId),
    before: entry.before ?? null,
    after: entry.after ?? null,
  }));
  await q.execute(sql`insert into audit_log (actor_id, action, entity, entity_id, before, after)
    select actor_id, action, entity, entity_id, before, after
    from ${recordset(rows, 'actor_id int, action text, entity text, entity_id text, before jsonb, after jsonb')}`);
}
