// Reads of the audit log for the Data protection page: the chain's last check, and the erasures and access exports.
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { auditLog, users } from '@/db/schema';

/** The audit actions of a person's rights being served (written by the erasure and the access export). */
export const RIGHTS_ACTIONS = ['customer.erased', 'customer.access_exported'] as const;

export type Verification = {
  at: Date;
  actorName: string | null;
  ok: boolean;
  entries: number;
  upTo: number;
  broken?: { seq: number; id: number; reason: string };
};

export async function lastVerification(q: Queryable): Promise<Verification | null> {
  const [row] = await q
    .select({ at: auditLog.at, after: auditLog.after, actorName: users.name })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(and(eq(auditLog.action, 'audit.verify'), eq(auditLog.entity, 'audit_log')))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(1);
  if (!row) return null;
  const after = row.after as Omit<Verification, 'at' | 'actorName'>;
  return { at: row.at, actorName: row.actorName, ok: after.ok, entries: after.entries, upTo: after.upTo, broken: after.broken };
}

export type RightsEvent = { id: number; at: Date; action: string; customerId: string | null; actorName: string | null; detail: unknown };

export function rightsEvents(q: Queryable, limit = 20): Promise<RightsEvent[]> {
  return q
    .select({
      id: auditLog.id,
      at: auditLog.at,
      action: auditLog.action,
      customerId: auditLog.entityId,
      actorName: users.name,
      detail: auditLog.after,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(inArray(auditLog.action, [...RIGHTS_ACTIONS]))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(limit);
}
