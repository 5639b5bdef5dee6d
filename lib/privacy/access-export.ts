// The access export (GDPR Art. 15 and 20): everything Zgoda holds about one customer, as one JSON document and as the
// printable page in the customer's language. Each download is audited (who, which customer, which format).
import { and, asc, eq, inArray, or } from 'drizzle-orm';
import type { Queryable } from '@/db';
import type { ConsentEvidence } from '@/db/schema';
import {
  campaignRecipients,
  campaigns,
  complaints,
  consentEvents,
  consentState,
  customers,
  importBatches,
  messageDrafts,
  replyReviews,
  suppressions,
} from '@/db/schema';
import { writeAudit } from '@/lib/audit/write';
import type { Channel, ConsentState, EventKind, Purpose } from '@/lib/consent';
import { mergedEvidence, personalEvidenceJoin } from '@/lib/consent-store/evidence';
import type { PublicLocale } from '@/lib/public/locale';
import { publicLocale } from '@/lib/public/locale';
import { contactHash } from '@/lib/suppressions';

export const ACCESS_EXPORT_FORMATS = ['json', 'page'] as const;
export type AccessExportFormat = (typeof ACCESS_EXPORT_FORMATS)[number];

export type AccessExport = {
  generatedAt: string;
  customer: {
    id: number;
    externalId: string | null;
    firstName: string | null;
    lastName: string | null;
    email: string | null;
    phone: string | null;
    market: string;
    language: string | null;
    source: string;
    marketplace: string | null;
    lastOrderAt: Date | null;
    objectionNoticeAt: Date | null;
    createdAt: Date;
    updatedAt: Date;
  };
  consents: Array<{
    channel: Channel;
    purpose: Purpose;
    status: ConsentState['status'];
    grantedAt: Date | null;
    confirmedAt: Date | null;
    withdrawnAt: Date | null;
    source: string;
  }>;
  consentHistory: Array<{
    id: number;
    channel: Channel;
    purpose: Purpose;
    kind: EventKind;
    occurredAt: Date;
    recordedAt: Date;
    source: string;
    evidence: ConsentEvidence;
  }>;
  complaints: Array<{
    id: number;
    receivedAt: Date;
    channel: Channel;
    kind: string;
    status: string;
    description: string;
    resolutionNote: string | null;
  }>;
  /** The campaigns (message exports) the customer was a recipient of, with the number the message went to. */
  campaigns: Array<{ campaignId: number; message: string; category: string; language: string; exportedAt: Date; phone: string }>;
  whatsappReplies: Array<{ messageId: string; receivedAt: Date; text: string; status: string; decision: string | null }>;
  /** Suppressions of the customer's e-mail or phone: kept as keyed hashes, so the contact point itself is not in them. */
  suppressions: Array<{
    contactPoint: 'email' | 'phone';
    channel: Channel | null;
    purpose: Purpose | null;
    reason: string;
    source: string;
    createdAt: Date;
  }>;
  imports: Array<{ batchId: number; fileName: string; committedAt: Date | null; createdTheRecord: boolean }>;
};

export type AccessExportResult = { ok: true; data: AccessExport } | { ok: false; code: 'not_found' | 'erased' };

/** Everything held about one customer; an erased customer has nothing left to export (and says so). */
export async function accessExport(q: Queryable, customerId: number, now: Date = new Date()): Promise<AccessExportResult> {
  const [customer] = await q
    .select({
      id: customers.id,
      externalId: customers.externalId,
      firstName: customers.firstName,
      lastName: customers.lastName,
      email: customers.email,
      phone: customers.phone,
      market: customers.market,
      language: customers.language,
      source: customers.source,
      marketplace: customers.marketplace,
      importBatchId: customers.importBatchId,
      lastOrderAt: customers.lastOrderAt,
      objectionNoticeAt: customers.objectionNoticeAt,
      erasedAt: customers.erasedAt,
      createdAt: customers.createdAt,
      updatedAt: customers.updatedAt,
    })
    .from(customers)
    .where(eq(customers.id, customerId));
  if (!customer) return { ok: false, code: 'not_found' };
  if (customer.erasedAt) return { ok: false, code: 'erased' };

  const hashes = [
    ...(customer.email ? [{ kind: 'email' as const, hash: contactHash('email', customer.email) }] : []),
    ...(customer.phone ? [{ kind: 'phone' as const, hash: contactHash('phone', customer.phone) }] : []),
  ];
  const complaintMatch = or(
    eq(complaints.customerId, customerId),
    ...(customer.email ? [eq(complaints.contactEmail, customer.email)] : []),
    ...(customer.phone ? [eq(complaints.contactPhone, customer.phone)] : []),
  );
  const [states, history, complaintRows, campaignRows, replies, suppressed] = await Promise.all([
    q
      .select({
        channel: consentState.channel,
        purpose: consentState.purpose,
        status: consentState.status,
        grantedAt: consentState.grantedAt,
        confirmedAt: consentState.confirmedAt,
        withdrawnAt: consentState.withdrawnAt,
        source: consentState.source,
      })
      .from(consentState)
      .where(eq(consentState.customerId, customerId))
      .orderBy(asc(consentState.channel), asc(consentState.purpose)),
    q
      .select({
        id: consentEvents.id,
        channel: consentEvents.channel,
        purpose: consentEvents.purpose,
        kind: consentEvents.kind,
        occurredAt: consentEvents.occurredAt,
        recordedAt: consentEvents.recordedAt,
        source: consentEvents.source,
        evidence: mergedEvidence,
      })
      .from(consentEvents)
      .leftJoin(...personalEvidenceJoin)
      .where(eq(consentEvents.customerId, customerId))
      .orderBy(asc(consentEvents.occurredAt), asc(consentEvents.id)),
    q
      .select({
        id: complaints.id,
        receivedAt: complaints.receivedAt,
        channel: complaints.channel,
        kind: complaints.kind,
        status: complaints.status,
        description: complaints.description,
        resolutionNote: complaints.resolutionNote,
      })
      .from(complaints)
      .where(complaintMatch)
      .orderBy(asc(complaints.receivedAt)),
    q
      .select({
        campaignId: campaigns.id,
        message: messageDrafts.name,
        category: messageDrafts.category,
        language: messageDrafts.language,
        exportedAt: campaigns.exportedAt,
        phone: campaignRecipients.phone,
      })
      .from(campaignRecipients)
      .innerJoin(campaigns, eq(campaigns.id, campaignRecipients.campaignId))
      .innerJoin(messageDrafts, eq(messageDrafts.id, campaigns.draftId))
      .where(eq(campaignRecipients.customerId, customerId))
      .orderBy(asc(campaigns.exportedAt)),
    customer.phone
      ? q
          .select({
            messageId: replyReviews.messageId,
            receivedAt: replyReviews.receivedAt,
            text: replyReviews.text,
            status: replyReviews.status,
            decision: replyReviews.decision,
          })
          .from(replyReviews)
          .where(eq(replyReviews.phone, customer.phone))
          .orderBy(asc(replyReviews.receivedAt))
      : [],
    hashes.length === 0
      ? []
      : q
          .select({
            contactPoint: suppressions.kind,
            channel: suppressions.channel,
            purpose: suppressions.purpose,
            reason: suppressions.reason,
            source: suppressions.source,
            createdAt: suppressions.createdAt,
          })
          .from(suppressions)
          .where(or(...hashes.map((h) => and(eq(suppressions.kind, h.kind), eq(suppressions.valueHash, h.hash)))))
          .orderBy(asc(suppressions.createdAt)),
  ]);

  // The imports that brought the record or any of its consent events.
  const batchIds = new Set<number>(customer.importBatchId ? [customer.importBatchId] : []);
  for (const e of history) if (typeof e.evidence.importBatchId === 'number') batchIds.add(e.evidence.importBatchId);
  const batches =
    batchIds.size === 0
      ? []
      : await q
          .select({ batchId: importBatches.id, fileName: importBatches.fileName, committedAt: importBatches.committedAt })
          .from(importBatches)
          .where(inArray(importBatches.id, [...batchIds]))
          .orderBy(asc(importBatches.id));

  const { importBatchId, erasedAt: _erasedAt, ...contact } = customer;
  return {
    ok: true,
    data: {
      generatedAt: now.toISOString(),
      customer: contact,
      consents: states,
      consentHistory: history,
      complaints: complaintRows,
      campaigns: campaignRows,
      whatsappReplies: replies,
      suppressions: suppressed,
      imports: batches.map((b) => ({ ...b, createdTheRecord: b.batchId === importBatchId })),
    },
  };
}

/** The language the customer reads the export in: their own, else their market's (lib/public/locale.ts). */
export function customerLocale(customer: { language: string | null; market: string }): PublicLocale {
  return publicLocale(customer.language, null, customer.market);
}

/** The audit entry of an access export: who downloaded it, for which customer, in which format; no personal values. */
export async function auditAccessExport(q: Queryable, actorId: number, customerId: number, format: AccessExportFormat): Promise<void> {
  await writeAudit(q, { actorId, action: 'customer.access_exported', entity: 'customer', entityId: customerId, after: { format } });
}
