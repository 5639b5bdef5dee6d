// Erasure of a customer (GDPR Art. 17): the personal data goes, a pseudonymous record stays with its ledger, so that
// what was consented and withdrawn, and when, can still be proved; the contact points stay only as keyed hashes in the
// suppressions, withdrawn for every channel, so that the person does not come back through a later import or form.
import { and, eq, isNull, or, sql } from 'drizzle-orm';
import type { Queryable } from '@/db';
import {
  campaignRecipients,
  complaints,
  confirmations,
  consentEvidencePersonal,
  customers,
  importConsents,
  importRows,
  replyReviews,
} from '@/db/schema';
import { writeAudit } from '@/lib/audit/write';
import type { ContactKind } from '@/lib/suppressions';
import { ERASED_REASON } from '@/lib/suppressions';
import { withdrawContactPoint } from '@/lib/suppressions/contact-point';
import { scrubImportTraces } from './import-traces';

/** The source of the withdrawals and suppressions an erasure writes. */
export const ERASURE_SOURCE = 'erasure';
export const ERASURE_REASON_MAX = 500;

export type EraseInput = { customerId: number; reason: string };

export type EraseResult =
  | { ok: true; erasedAt: Date; withdrawn: number; otherRecords: number }
  | { ok: false; code: 'not_found' | 'already_erased' | 'reason_required' | 'reason_too_long' };

/**
 * Erases one customer in one transaction: suppresses their e-mail and phone for every channel and purpose, withdrawing
 * every record that holds them (the same person), then removes what identifies them: the record's personal fields, the
 * identifying evidence of their ledger, their campaign recipient rows, the words of their complaints and WhatsApp
 * replies, the staged rows of pending imports that carry their contact points or external id, and their lines in the
 * imports' previews and issue lists, a mail server's refusal kept with their confirmations, and the API answers kept
 * for retries that hold their record. The ledger, the consent states and the record's market and source stay, under the customer's id.
 */
export async function eraseCustomer(
  db: Queryable,
  input: EraseInput,
  actorId: number | null,
  now: Date = new Date(),
): Promise<EraseResult> {
  const reason = input.reason.trim();
  if (!reason) return { ok: false, code: 'reason_required' };
  if (reason.length > ERASURE_REASON_MAX) return { ok: false, code: 'reason_too_long' };
  return db.transaction(async (tx) => {
    const [customer] = await tx
      .select({
        id: customers.id,
        email: customers.email,
        phone: customers.phone,
        externalId: customers.externalId,
        erasedAt: customers.erasedAt,
      })
      .from(customers)
      .where(eq(customers.id, input.customerId))
      .for('update');
    if (!customer) return { ok: false, code: 'not_found' } as const;
    if (customer.erasedAt) return { ok: false, code: 'already_erased' } as const;

    const contacts = (
      [
        ['email', customer.email],
        ['phone', customer.phone],
      ] as const
    ).flatMap(([kind, value]) => (value ? [{ kind: kind as ContactKind, value }] : []));
    let withdrawn = 0;
    const holders = new Set<number>();
    for (const contact of contacts) {
      const result = await withdrawContactPoint(
        tx,
        {
          ...contact,
          channels: null,
          purposes: 'all',
          occurredAt: now,
          source: ERASURE_SOURCE,
          evidence: { reason: 'The customer asked for erasure of their personal data (GDPR Art. 17).' },
          keyBase: `erasure:${customer.id}:${contact.kind}`,
          reason: ERASED_REASON,
        },
        actorId,
        now,
      );
      if (!result.ok) throw new Error(`The erasure's withdrawal was refused: ${result.message}`);
      withdrawn += result.events.filter((e) => !e.duplicate).length;
      for (const id of result.customerIds) holders.add(id);
    }
    holders.delete(customer.id);

    const contactMatch = [
      customer.email ? eq(complaints.contactEmail, customer.email) : undefined,
      customer.phone ? eq(complaints.contactPhone, customer.phone) : undefined,
    ].filter((c) => c !== undefined);
    const stagedMatch = [
      customer.email ? eq(importRows.email, customer.email) : undefined,
      customer.phone ? eq(importRows.phone, customer.phone) : undefined,
      customer.externalId ? eq(importRows.externalId, customer.externalId) : undefined,
    ].filter((c) => c !== undefined);
    // Staged rows are only those of imports not yet committed or discarded: few, and gone with their import.
    const staged =
      stagedMatch.length === 0
        ? []
        : await tx
            .delete(importRows)
            .where(or(...stagedMatch))
            .returning({ batchId: importRows.batchId, rowNo: importRows.rowNo });
    await Promise.all([
      tx.delete(consentEvidencePersonal).where(eq(consentEvidencePersonal.customerId, customer.id)),
      tx.delete(campaignRecipients).where(eq(campaignRecipients.customerId, customer.id)),
      tx
        .update(complaints)
        .set({ description: '', contactEmail: null, contactPhone: null, resolutionNote: null, updatedAt: now })
        .where(or(eq(complaints.customerId, customer.id), ...contactMatch)),
      customer.phone ? tx.delete(replyReviews).where(eq(replyReviews.phone, customer.phone)) : undefined,
      ...staged.map((row) =>
        tx.delete(importConsents).where(and(eq(importConsents.batchId, row.batchId), eq(importConsents.rowNo, row.rowNo))),
      ),
      scrubImportTraces(tx, customer),
      // A mail server's refusal may quote the address; the confirmation itself names no one.
      tx.update(confirmations).set({ sendError: null }).where(eq(confirmations.customerId, customer.id)),
      // Answers kept for an API retry (a day at most): a customer answer holds the contact data.
      tx.execute(sql`delete from api_idempotency
        where body ->> 'id' = ${String(customer.id)} or body -> 'customerIds' @> ${JSON.stringify([customer.id])}::jsonb`),
    ]);
    await tx
      .update(customers)
      .set({
        externalId: null,
        firstName: null,
        lastName: null,
        email: null,
        phone: null,
        language: null,
        lastOrderAt: null,
        objectionNoticeAt: null,
        erasedAt: now,
        updatedAt: now,
      })
      .where(and(eq(customers.id, customer.id), isNull(customers.erasedAt)));
    await writeAudit(tx, { actorId, action: 'customer.erased', entity: 'customer', entityId: customer.id, after: { reason } });
    return { ok: true, erasedAt: now, withdrawn, otherRecords: holders.size } as const;
  });
}
