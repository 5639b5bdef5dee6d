// Consent evidence in two places: what proves the event stays in the append-only ledger, what identifies the person
// (IP, user agent, their own words) in consent_evidence_personal, which an erasure deletes and retention clears.
import type { SQL } from 'drizzle-orm';
import { eq, sql } from 'drizzle-orm';
import type { Queryable } from '@/db';
import type { ConsentEvidence } from '@/db/schema';
import { consentEvents, consentEvidencePersonal } from '@/db/schema';
import { recordset } from '@/db/sql';

/** The keys of ConsentEvidence that identify the person and never enter the ledger. */
export const PERSONAL_EVIDENCE_KEYS = ['ip', 'userAgent', 'customerText'] as const satisfies readonly (keyof ConsentEvidence)[];

/** The same keys as a SQL text[], for `evidence - keys` and `evidence ?| keys`. */
export const PERSONAL_KEYS_SQL = sql.raw(`array[${PERSONAL_EVIDENCE_KEYS.map((k) => `'${k}'`).join(', ')}]::text[]`);

/** The ledger's part of the evidence and the identifying part (null when there is none). */
export function splitEvidence(evidence: ConsentEvidence): { ledger: ConsentEvidence; personal: ConsentEvidence | null } {
  const ledger: Record<string, unknown> = { ...evidence };
  const personal: Record<string, unknown> = {};
  for (const key of PERSONAL_EVIDENCE_KEYS) {
    const value = ledger[key];
    delete ledger[key];
    if (value !== undefined && value !== null && value !== '') personal[key] = value;
  }
  return { ledger: ledger as ConsentEvidence, personal: Object.keys(personal).length > 0 ? (personal as ConsentEvidence) : null };
}

/** Writes the identifying evidence of events just written to the ledger, in the caller's transaction. */
export async function writePersonalEvidence(
  q: Queryable,
  rows: readonly { eventId: number; customerId: number; evidence: ConsentEvidence }[],
): Promise<void> {
  if (rows.length === 0) return;
  const records = rows.map((r) => ({ event_id: r.eventId, customer_id: r.customerId, evidence: r.evidence }));
  await q.execute(sql`insert into consent_evidence_personal (event_id, customer_id, evidence)
    select event_id, customer_id, evidence from ${recordset(records, 'event_id bigint, customer_id bigint, evidence jsonb')}`);
}

/**
 * The whole evidence of ledger events read as `alias` (default `e`): the ledger's part with the identifying part merged
 * in. Needs `joinPersonalEvidence` in the FROM clause.
 */
export function mergedEvidenceSql(alias = 'e'): SQL<ConsentEvidence> {
  return sql<ConsentEvidence>`(${sql.raw(alias)}.evidence || coalesce(pe.evidence, '{}'::jsonb))`;
}

/** The same for a query built on the consentEvents table: select it as the evidence, with personalEvidenceJoin. */
export const mergedEvidence =
  sql<ConsentEvidence>`${consentEvents.evidence} || coalesce(${consentEvidencePersonal.evidence}, '{}'::jsonb)`.mapWith(
    consentEvents.evidence,
  );
/** `.leftJoin(...personalEvidenceJoin)`: each event's identifying evidence, for mergedEvidence. */
export const personalEvidenceJoin = [consentEvidencePersonal, eq(consentEvidencePersonal.eventId, consentEvents.id)] as const;

/** The LEFT JOIN that brings each event's identifying evidence as `pe`. */
export function joinPersonalEvidence(alias = 'e'): SQL {
  return sql`left join consent_evidence_personal pe on pe.event_id = ${sql.raw(alias)}.id`;
}
