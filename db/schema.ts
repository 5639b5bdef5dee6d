// The one Drizzle schema for both drivers (PGlite and postgres.js).
import { sql } from 'drizzle-orm';
import { amazonRelaySql } from '../lib/consent/marketplace';
import type { BatchOptions, ImportFailure, ImportPhase } from '../lib/import/types';
import type { RowIssue } from '../lib/import/validate';
import {
  bigint,
  boolean,
  char,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const userRole = pgEnum('user_role', ['admin', 'seller', 'support', 'manager']);
export const channel = pgEnum('channel', ['email', 'sms', 'whatsapp', 'phone']);
export const purpose = pgEnum('purpose', ['marketing', 'transactional']);
export const consentEventKind = pgEnum('consent_event_kind', ['granted', 'confirmed', 'withdrawn']);
export const consentStatus = pgEnum('consent_status', ['granted', 'pending_confirmation', 'withdrawn', 'unknown']);
export const importStatus = pgEnum('import_status', ['dry_run', 'checking', 'committing', 'committed', 'failed']);
export const draftCategory = pgEnum('draft_category', ['transactional', 'marketing']);
export const draftStatus = pgEnum('draft_status', ['draft', 'submitted', 'approved', 'rejected', 'exported']);
export const complaintKind = pgEnum('complaint_kind', [
  'no_consent',
  'unwanted_marketing',
  'too_many_messages',
  'wrong_content',
  'phishing',
  'legal_notice',
  'other',
]);
export const complaintStatus = pgEnum('complaint_status', ['open', 'investigating', 'resolved']);
export const contactKind = pgEnum('contact_kind', ['email', 'phone']);
export const replyReviewStatus = pgEnum('reply_review_status', ['open', 'decided']);
export const campaignKind = pgEnum('campaign_kind', ['export', 'send']);
export const campaignStatus = pgEnum('campaign_status', ['queued', 'sending', 'paused', 'completed', 'cancelled']);
export const recipientStatus = pgEnum('recipient_status', ['queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'skipped']);
export const replyReviewDecision = pgEnum('reply_review_decision', ['withdraw_marketing', 'withdraw_all', 'complaint', 'not_objection']);

export const users = pgTable(
  'users',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: userRole('role').notNull(),
    passwordHash: text('password_hash').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
    lastSignInAt: timestamptz('last_sign_in_at'),
    // Carried in the session token at sign-in; raising it ends every session of the user at once.
    sessionVersion: integer('session_version').notNull().default(0),
  },
  (t) => [uniqueIndex('users_email_key').on(sql`lower(${t.email})`)],
);
export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;

/** Failed sign-ins per key (a client IP, or an account from one IP), for throttling with growing delays. */
export const signInThrottle = pgTable('sign_in_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  windowStartedAt: timestamptz('window_started_at').notNull().defaultNow(),
  lastFailedAt: timestamptz('last_failed_at').notNull().defaultNow(),
  lockedUntil: timestamptz('locked_until'),
});
export type SignInThrottle = typeof signInThrottle.$inferSelect;

/** One-time password reset links an admin hands to a user; only the SHA-256 of the token is stored. */
export const passwordResets = pgTable(
  'password_resets',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    tokenHash: text('token_hash').notNull(),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    expiresAt: timestamptz('expires_at').notNull(),
    usedAt: timestamptz('used_at'),
  },
  (t) => [uniqueIndex('password_resets_token_hash_key').on(t.tokenHash), index('password_resets_user_idx').on(t.userId)],
);
export type PasswordReset = typeof passwordResets.$inferSelect;

export const importBatches = pgTable(
  'import_batches',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    fileName: text('file_name').notNull(),
    fileSha256: text('file_sha256'),
    /** The uploaded file in the file store (lib/files); null for batches uploaded when files were kept on disk. */
    fileKey: text('file_key'),
    status: importStatus('status').notNull().default('dry_run'),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    committedAt: timestamptz('committed_at'),
    options: jsonb('options').$type<BatchOptions>().notNull().default({}),
    /** Why the last dry run or commit did not finish; cleared when the next one starts. */
    failure: jsonb('failure').$type<ImportFailure>(),
    rowsTotal: integer('rows_total').notNull().default(0),
    rowsNew: integer('rows_new').notNull().default(0),
    rowsUpdated: integer('rows_updated').notNull().default(0),
    rowsUnchanged: integer('rows_unchanged').notNull().default(0),
    rowsRejected: integer('rows_rejected').notNull().default(0),
    eventsWritten: integer('events_written').notNull().default(0),
    /** When retention removed the file and the staged and rejected rows (the batch row stays: customers name it). */
    filesRemovedAt: timestamptz('files_removed_at'),
  },
  (t) => [index('import_batches_created_at_idx').on(t.createdAt)],
);
export type ImportBatch = typeof importBatches.$inferSelect;

// Drizzle has no bytea column of its own. postgres.js reads one as a Buffer, PGlite as a Uint8Array.
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

/** The file store's database backend (lib/files/chunks.ts): each file as pieces of 4 MiB, numbered from 0. */
export const fileChunks = pgTable(
  'file_chunks',
  {
    fileKey: text('file_key').notNull(),
    seq: integer('seq').notNull(),
    data: bytea('data').notNull(),
    /** Retention removes pieces no batch names only once they are old enough not to be an upload still under way. */
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.fileKey, t.seq] })],
);

export const customers = pgTable(
  'customers',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    externalId: text('external_id'),
    firstName: text('first_name'),
    lastName: text('last_name'),
    /** Lower-cased. */
    email: text('email'),
    /** E.164. */
    phone: text('phone'),
    /** ISO 3166-1 alpha-2. */
    market: char('market', { length: 2 }).notNull(),
    /** BCP 47. */
    language: text('language'),
    source: text('source').notNull(),
    /** The import that created the customer; committed batches are never deleted (a trigger refuses it). */
    importBatchId: integer('import_batch_id'),
    lastOrderAt: timestamptz('last_order_at'),
    /** When the customer was told at collection that they may object to e-mail advertising (existing-customer exception). */
    objectionNoticeAt: timestamptz('objection_notice_at'),
    /**
     * 'amazon': the customer bought through Amazon (an Amazon order source or a relay e-mail address in an import),
     * whose rules forbid contacting its buyers except through the seller's own channel. Never cleared by an import.
     */
    marketplace: text('marketplace'),
    /** The e-mail is an Amazon relay address (lib/consent/marketplace.ts): computed by the database on every write. */
    emailRelay: boolean('email_relay')
      .notNull()
      .generatedAlwaysAs(sql.raw(amazonRelaySql('email'))),
    erasedAt: timestamptz('erased_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('customers_marketplace_known', sql`${t.marketplace} is null or ${t.marketplace} = 'amazon'`),
    uniqueIndex('customers_external_id_key').on(t.externalId),
    index('customers_phone_idx').on(t.phone),
    index('customers_market_idx').on(t.market, t.id),
    // Prefix searches (LIKE 'abc%') need pattern operator classes: the database collation is not C. The e-mail one
    // also serves equality, so e-mail has no plain index of its own.
    index('customers_name_idx').on(sql`lower(${t.lastName}) text_pattern_ops`, sql`lower(${t.firstName}) text_pattern_ops`),
    index('customers_first_name_idx').on(sql`lower(${t.firstName}) text_pattern_ops`),
    index('customers_email_prefix_idx').on(sql`${t.email} text_pattern_ops`),
    index('customers_import_batch_idx').on(t.importBatchId),
    index('customers_source_idx').on(t.source),
    check('customers_market_format', sql`${t.market} ~ '^[A-Z]{2}$'`),
    check('customers_phone_e164', sql`${t.phone} is null or ${t.phone} ~ '^\\+[1-9][0-9]{6,14}$'`),
  ],
);
export type Customer = typeof customers.$inferSelect;
export type NewCustomer = typeof customers.$inferInsert;

/**
 * The rows of an import between its dry run and its commit: what each valid row would write, and why a row was
 * rejected. Emptied when the import is committed or discarded.
 */
export const importRows = pgTable(
  'import_rows',
  {
    // No foreign key: a million staging rows a dry run would each check against their batch. Discarding a batch
    // deletes them.
    batchId: integer('batch_id').notNull(),
    rowNo: integer('row_no').notNull(),
    line: integer('line').notNull(),
    externalId: text('external_id'),
    firstName: text('first_name'),
    lastName: text('last_name'),
    email: text('email'),
    phone: text('phone'),
    market: char('market', { length: 2 }),
    language: text('language'),
    lastOrderAt: timestamptz('last_order_at'),
    /** 'amazon' when the row is an Amazon buyer's (relay e-mail or Amazon order source). */
    marketplace: text('marketplace'),
    emailHash: text('email_hash'),
    phoneHash: text('phone_hash'),
    /** new, updated, unchanged or rejected. */
    outcome: text('outcome'),
    error: text('error'),
    warnings: jsonb('warnings').$type<RowIssue[]>(),
  },
  (t) => [primaryKey({ columns: [t.batchId, t.rowNo] })],
);

/**
 * How far the running dry run or commit of a batch has come, written a few times a second by the instance running it
 * and read by any instance showing the batch. A table of its own: the running job holds its batch's row locked. No
 * foreign key either, for the same reason (checking it would wait for that lock).
 */
export const importProgress = pgTable('import_progress', {
  batchId: integer('batch_id').primaryKey(),
  phase: text('phase').$type<ImportPhase>().notNull(),
  done: integer('done').notNull(),
  total: integer('total').notNull(),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});

/** The consent events an import row would write. */
export const importConsents = pgTable(
  'import_consents',
  {
    batchId: integer('batch_id').notNull(),
    rowNo: integer('row_no').notNull(),
    channel: channel('channel').notNull(),
    purpose: purpose('purpose').notNull(),
    kind: consentEventKind('kind').notNull(),
    /** 'import', or 'suppression' for a withdrawal a suppressed contact point brings with it. */
    source: text('source').notNull().default('import'),
    /** Null for an undated "no": it is recorded when the import is committed. */
    occurredAt: timestamptz('occurred_at'),
    evidence: jsonb('evidence').$type<ConsentEvidence>().notNull(),
  },
  (t) => [index('import_consents_row_idx').on(t.batchId, t.rowNo)],
);

/** Evidence kept with every consent event, enough to demonstrate consent (GDPR Art. 7(1)). */
export type ConsentEvidence = {
  wording?: string;
  formVersion?: string;
  /** The hosted opt-in form version (opt_in_form_versions.id) whose wording the customer saw. */
  formVersionId?: number;
  ip?: string;
  userAgent?: string;
  importBatchId?: number;
  importRow?: number;
  messageId?: string;
  proofReference?: string;
  reason?: string;
  complaintId?: number;
  /**
   * The withdrawal came through a contact point (a STOP from the phone, a complaint about the e-mail) and applies to
   * every record that holds it: the kind, never the value, which the record itself holds (and loses on erasure).
   */
  contactPoint?: 'email' | 'phone';
  /** The grant starts a double opt-in: the state stays pending until a confirmation event. */
  doubleOptIn?: boolean;
  /** The name of the API key that recorded the event through the consent API (recorded_by is empty then). */
  apiKey?: string;
  /**
   * The customer's own words that came with the event (a WhatsApp reply, a complaint's description). Like ip and
   * userAgent it identifies the person: it is kept in consent_evidence_personal, never in the ledger.
   */
  customerText?: string;
};

/** The append-only consent ledger. The database refuses UPDATE, DELETE and TRUNCATE on it. */
export const consentEvents = pgTable(
  'consent_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    customerId: bigint('customer_id', { mode: 'number' })
      .notNull()
      .references(() => customers.id),
    channel: channel('channel').notNull(),
    purpose: purpose('purpose').notNull(),
    kind: consentEventKind('kind').notNull(),
    occurredAt: timestamptz('occurred_at').notNull(),
    recordedAt: timestamptz('recorded_at').notNull().defaultNow(),
    source: text('source').notNull(),
    recordedBy: integer('recorded_by').references(() => users.id),
    evidence: jsonb('evidence').$type<ConsentEvidence>().notNull().default({}),
    /** Makes re-delivery (same import row, same WhatsApp message id) write nothing. */
    idempotencyKey: text('idempotency_key'),
  },
  (t) => [
    index('consent_events_customer_idx').on(t.customerId, t.channel, t.purpose, t.occurredAt),
    index('consent_events_kind_occurred_at_idx').on(t.kind, t.occurredAt),
    uniqueIndex('consent_events_idempotency_key').on(t.idempotencyKey),
    check('consent_events_source_present', sql`length(trim(${t.source})) > 0`),
  ],
);
export type ConsentEvent = typeof consentEvents.$inferSelect;
export type NewConsentEvent = typeof consentEvents.$inferInsert;

/**
 * The evidence of a ledger event that identifies the person (IP, user agent, their own words), apart from the
 * append-only ledger so that an erasure can delete it and retention can clear reply texts: the ledger keeps what proves
 * that consent was given or withdrawn, when and how, and this table who it was. Readers merge the two
 * (lib/consent-store/evidence.ts). Written with the event, in the same transaction, by every writer of the ledger.
 */
export const consentEvidencePersonal = pgTable(
  'consent_evidence_personal',
  {
    eventId: bigint('event_id', { mode: 'number' })
      .primaryKey()
      .references(() => consentEvents.id),
    customerId: bigint('customer_id', { mode: 'number' }).notNull(),
    /** Only the identifying keys of ConsentEvidence (PERSONAL_EVIDENCE_KEYS). */
    evidence: jsonb('evidence').$type<ConsentEvidence>().notNull(),
    recordedAt: timestamptz('recorded_at').notNull().defaultNow(),
  },
  (t) => [
    index('consent_evidence_personal_customer_idx').on(t.customerId),
    index('consent_evidence_personal_recorded_at_idx').on(t.recordedAt),
  ],
);

/**
 * The current state per customer, channel and purpose, projected from the ledger in the same transaction. Like the
 * intervals below it has no foreign key of its own: it is written only from ledger events, whose key already ties
 * them to a customer (and customers are never deleted), and an import writes a million of these rows.
 */
export const consentState = pgTable(
  'consent_state',
  {
    customerId: bigint('customer_id', { mode: 'number' }).notNull(),
    channel: channel('channel').notNull(),
    purpose: purpose('purpose').notNull(),
    status: consentStatus('status').notNull(),
    grantedAt: timestamptz('granted_at'),
    confirmedAt: timestamptz('confirmed_at'),
    withdrawnAt: timestamptz('withdrawn_at'),
    lastEventId: bigint('last_event_id', { mode: 'number' }).notNull(),
    lastOccurredAt: timestamptz('last_occurred_at').notNull(),
    source: text('source').notNull(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  // Read by customer only: the lists and counts read the intervals and the coverage aggregates.
  (t) => [primaryKey({ columns: [t.customerId, t.channel, t.purpose] })],
);
export type ConsentStateRow = typeof consentState.$inferSelect;

/**
 * The consent states each customer, channel and purpose passed through, projected from the ledger with the state:
 * [valid_from, valid_to), valid_to empty for the state in force. Coverage "as of" a day reads these.
 */
export const consentIntervals = pgTable(
  'consent_intervals',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    customerId: bigint('customer_id', { mode: 'number' }).notNull(),
    channel: channel('channel').notNull(),
    purpose: purpose('purpose').notNull(),
    validFrom: timestamptz('valid_from').notNull(),
    validTo: timestamptz('valid_to'),
    status: consentStatus('status').notNull(),
    confirmed: boolean('confirmed').notNull(),
    /** First day (UTC) of the month the consent in force was given or confirmed; what expiry is counted from. */
    givenMonth: date('given_month', { mode: 'string' }),
    /**
     * A grant (granted or pending) brought about by a seller-own source (lib/consent/marketplace.ts): what opens a
     * channel to a marketplace buyer.
     */
    ownChannel: boolean('own_channel').notNull().default(false),
  },
  (t) => [
    index('consent_intervals_customer_idx').on(t.customerId, t.channel, t.purpose, t.validFrom),
    // The states in force for one channel and purpose in customer order, all the SQL twin reads of them: audience
    // counts over every customer scan this instead of the whole interval history, and a customer's state in force is
    // found by it too.
    index('consent_intervals_in_force_key_idx')
      .on(t.channel, t.purpose, t.customerId, t.status, t.confirmed, t.givenMonth, t.ownChannel)
      .where(sql`${t.validTo} is null`),
  ],
);

// The columns that, with the market's rules, decide whether a customer may be contacted, plus the filters of the
// coverage page. Aggregates below count customers per such key; triggers keep them in step (see the migration).
const coverageKey = () => ({
  market: char('market', { length: 2 }).notNull(),
  source: text('source').notNull(),
  importBatchId: integer('import_batch_id'),
  erased: boolean('erased').notNull(),
  exception: boolean('exception').notNull(),
  /** A marketplace buyer (customers.marketplace set or a relay e-mail). */
  marketplace: boolean('marketplace').notNull().default(false),
});
const factKey = () => ({
  ...coverageKey(),
  /** Only for marketplace buyers: the grant in force is seller-own on a contact point of the seller's own. */
  ownChannel: boolean('own_channel').notNull().default(false),
  channel: channel('channel').notNull(),
  purpose: purpose('purpose').notNull(),
  hasContact: boolean('has_contact').notNull(),
  status: consentStatus('status').notNull(),
  confirmed: boolean('confirmed').notNull(),
  givenMonth: date('given_month', { mode: 'string' }),
});

/** Customers per key, whatever their consent: the base from which unknown states are counted. */
export const coverageCustomers = pgTable(
  'coverage_customers',
  {
    ...coverageKey(),
    hasEmail: boolean('has_email').notNull(),
    hasPhone: boolean('has_phone').notNull(),
    n: bigint('n', { mode: 'number' }).notNull(),
  },
  (t) => [
    unique('coverage_customers_key')
      .on(t.market, t.source, t.importBatchId, t.erased, t.exception, t.marketplace, t.hasEmail, t.hasPhone)
      .nullsNotDistinct(),
  ],
);

/** Customer, channel and purpose states in force now, per fact key. */
export const coverageCurrent = pgTable('coverage_current', { ...factKey(), n: bigint('n', { mode: 'number' }).notNull() }, (t) => [
  index('coverage_current_source_idx').on(t.source, t.importBatchId),
  unique('coverage_current_key')
    .on(
      t.market,
      t.source,
      t.importBatchId,
      t.erased,
      t.exception,
      t.marketplace,
      t.ownChannel,
      t.channel,
      t.purpose,
      t.hasContact,
      t.status,
      t.confirmed,
      t.givenMonth,
    )
    .nullsNotDistinct(),
]);

export const coverageGrain = pgEnum('coverage_grain', ['day', 'week', 'month']);

/** Changes of those counts per day, ISO week and month: the sum up to a day is the coverage as of that day. */
export const coverageDeltas = pgTable(
  'coverage_deltas',
  {
    grain: coverageGrain('grain').notNull(),
    period: date('period', { mode: 'string' }).notNull(),
    ...factKey(),
    delta: bigint('delta', { mode: 'number' }).notNull(),
  },
  (t) => [
    index('coverage_deltas_source_idx').on(t.source, t.importBatchId, t.grain, t.period),
    unique('coverage_deltas_key')
      .on(
        t.grain,
        t.period,
        t.market,
        t.source,
        t.importBatchId,
        t.erased,
        t.exception,
        t.marketplace,
        t.ownChannel,
        t.channel,
        t.purpose,
        t.hasContact,
        t.status,
        t.confirmed,
        t.givenMonth,
      )
      .nullsNotDistinct(),
  ],
);

// The same counts summed over all sources and imports: what the unfiltered coverage page and the overview read,
// an order of magnitude fewer rows than the per-source tables above.
const totalsKey = () => {
  const { source: _source, importBatchId: _batch, ...key } = factKey();
  return key;
};

export const coverageTotalsCurrent = pgTable(
  'coverage_totals_current',
  { ...totalsKey(), n: bigint('n', { mode: 'number' }).notNull() },
  (t) => [
    unique('coverage_totals_current_key')
      .on(
        t.market,
        t.erased,
        t.exception,
        t.marketplace,
        t.ownChannel,
        t.channel,
        t.purpose,
        t.hasContact,
        t.status,
        t.confirmed,
        t.givenMonth,
      )
      .nullsNotDistinct(),
  ],
);

export const coverageTotalsDeltas = pgTable(
  'coverage_totals_deltas',
  {
    grain: coverageGrain('grain').notNull(),
    period: date('period', { mode: 'string' }).notNull(),
    ...totalsKey(),
    delta: bigint('delta', { mode: 'number' }).notNull(),
  },
  (t) => [
    unique('coverage_totals_deltas_key')
      .on(
        t.grain,
        t.period,
        t.market,
        t.erased,
        t.exception,
        t.marketplace,
        t.ownChannel,
        t.channel,
        t.purpose,
        t.hasContact,
        t.status,
        t.confirmed,
        t.givenMonth,
      )
      .nullsNotDistinct(),
    // The changes of one channel and purpose over a range of days: a customer list "as of" a day counts one cell.
    index('coverage_totals_deltas_cell_idx').on(t.channel, t.purpose, t.grain, t.period),
  ],
);

/** Withdrawn or erased contact points, remembered as a keyed hash so a later import cannot bring consent back. */
export const suppressions = pgTable(
  'suppressions',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    kind: contactKind('kind').notNull(),
    valueHash: text('value_hash').notNull(),
    channel: channel('channel'),
    /** null: every purpose; 'marketing': a marketing-only stop ("Stop promotions"). */
    purpose: purpose('purpose'),
    reason: text('reason').notNull(),
    source: text('source').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  // A suppression for all channels or all purposes (null) is one row too; a broader one is a row of its own beside a
  // narrower one, and every lookup takes the rows that cover the channel and purpose it asks about.
  (t) => [unique('suppressions_kind_value_channel_purpose_key').on(t.kind, t.valueHash, t.channel, t.purpose).nullsNotDistinct()],
);

/** Rules per market x channel x purpose. The row with market 'EU' is the fallback for EU markets without rows of their own. */
export const marketPolicies = pgTable(
  'market_policies',
  {
    market: char('market', { length: 2 }).notNull(),
    channel: channel('channel').notNull(),
    purpose: purpose('purpose').notNull(),
    priorConsentRequired: boolean('prior_consent_required').notNull(),
    doubleOptInRequired: boolean('double_opt_in_required').notNull(),
    existingCustomerException: boolean('existing_customer_exception').notNull(),
    consentValidMonths: integer('consent_valid_months'),
    legalReference: text('legal_reference').notNull(),
    notes: text('notes'),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
    updatedBy: integer('updated_by').references(() => users.id),
  },
  (t) => [
    primaryKey({ columns: [t.market, t.channel, t.purpose] }),
    check('market_policies_valid_months', sql`${t.consentValidMonths} is null or ${t.consentValidMonths} > 0`),
  ],
);
export type MarketPolicyRow = typeof marketPolicies.$inferSelect;

export type TemplateButton =
  | { type: 'quick_reply'; text: string }
  | { type: 'url'; text: string; url: string }
  | { type: 'phone_number'; text: string; phoneNumber: string };

export const messageDrafts = pgTable(
  'message_drafts',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    category: draftCategory('category').notNull(),
    language: text('language').notNull(),
    header: text('header'),
    /** Example value of the header's one variable, for Meta's review. */
    headerExample: text('header_example'),
    body: text('body').notNull(),
    footer: text('footer'),
    buttons: jsonb('buttons').$type<TemplateButton[]>().notNull().default([]),
    examples: jsonb('examples').$type<string[]>().notNull().default([]),
    /** Per body variable, the customer field that fills it at export ('example': the example text for everyone). */
    variableFields: jsonb('variable_fields').$type<string[]>().notNull().default([]),
    /** The shop's name as customers know it; a marketing template must name its sender. */
    sender: text('sender'),
    audience: jsonb('audience').$type<Record<string, unknown>>().notNull().default({}),
    /** Customers the audience could lawfully reach when it was last counted (on save), for the list. */
    audienceSize: integer('audience_size'),
    status: draftStatus('status').notNull().default('draft'),
    authorId: integer('author_id')
      .notNull()
      .references(() => users.id),
    reviewedBy: integer('reviewed_by').references(() => users.id),
    reviewComment: text('review_comment'),
    /** The template's id at Meta once submitted; kept when the draft is edited, so a new submission edits it there. */
    metaTemplateId: text('meta_template_id'),
    /**
     * Meta's review status as last read (APPROVED, PENDING, REJECTED, PAUSED, DISABLED ...); null before a submission
     * and after an edit that changed the template, which Meta has then not seen.
     */
    metaStatus: text('meta_status'),
    /** Meta's rejected_reason (PROMOTIONAL, INVALID_FORMAT ...) while metaStatus is REJECTED. */
    metaRejectedReason: text('meta_rejected_reason'),
    metaCheckedAt: timestamptz('meta_checked_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('message_drafts_status_idx').on(t.status, t.updatedAt),
    uniqueIndex('message_drafts_name_language_key').on(t.name, t.language),
  ],
);
export type MessageDraft = typeof messageDrafts.$inferSelect;

/**
 * An approved draft sent to its recipients: exported as a file (`export`, sent by another tool, done when decided) or
 * sent by Zgoda's worker through the Cloud API (`send`). The unit whose opt-out rate the monitor watches.
 * `exported_at`/`exported_by`: when and by whom its recipients were decided (for a send, when it was queued).
 */
export const campaigns = pgTable(
  'campaigns',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    draftId: integer('draft_id')
      .notNull()
      .references(() => messageDrafts.id),
    exportedBy: integer('exported_by')
      .notNull()
      .references(() => users.id),
    exportedAt: timestamptz('exported_at').notNull().defaultNow(),
    recipientCount: integer('recipient_count').notNull(),
    kind: campaignKind('kind').notNull().default('export'),
    status: campaignStatus('status').notNull().default('completed'),
    /** Why the worker paused it (`auth`: Meta refused the token; `manual`: a person paused it), and what to do. */
    pausedReason: text('paused_reason'),
    pausedDetail: text('paused_detail'),
    /** Messages per second for this campaign's phone number; null: the setting's default. */
    ratePerSecond: integer('rate_per_second'),
    /** The business phone number id it sends from: the key of the rate it shares with other campaigns. */
    phoneNumberId: text('phone_number_id'),
    startedAt: timestamptz('started_at'),
    finishedAt: timestamptz('finished_at'),
  },
  (t) => [
    index('campaigns_exported_at_idx').on(t.exportedAt),
    // The worker's question: which campaigns still have work.
    index('campaigns_active_idx')
      .on(t.status)
      .where(sql`${t.status} in ('queued', 'sending')`),
    check('campaigns_rate_positive', sql`${t.ratePerSecond} is null or ${t.ratePerSecond} >= 0`),
  ],
);
export type Campaign = typeof campaigns.$inferSelect;

/**
 * The recipients of a campaign, decided once when it is exported or queued: the customers eligible at that moment, in
 * customer order, with the number each was decided on. The export streams its file from here after committing; the
 * send worker works through the same rows and updates each as it goes (claimed, attempted, answered, then Meta's
 * statuses). No foreign keys: the rows are written by one statement from the customers and the campaign of the same
 * transaction; checking each row against both tables cost three times the rest of the decision (1.5 s of 2 s for
 * 60,000 recipients), and the updates never change customer or campaign. Neither a customer nor a campaign is ever
 * deleted; erasing a customer must delete that customer's rows here (the customer index serves it).
 *
 * Updated rows: each send updates a row three or four times (claim, answer, sent/delivered/read statuses). The
 * status-bearing partial indexes hold only the rows still to do (`queued`) or in flight (`sending`), so they stay
 * small as a campaign runs and their upkeep is paid only while a row is in them.
 */
export const campaignRecipients = pgTable(
  'campaign_recipients',
  {
    campaignId: integer('campaign_id').notNull(),
    /** 1, 2, 3 ... without gaps, in customer order: the key a download or a sender pages by. */
    position: integer('position').notNull(),
    customerId: bigint('customer_id', { mode: 'number' }).notNull(),
    phone: text('phone').notNull(),
    /** Null for a campaign exported as a file: Zgoda does not see how another tool sent it. */
    status: recipientStatus('status'),
    /**
     * Why it was skipped (an eligibility reason such as `withdrawn`, or `frequency_cap`, `cancelled`) or failed
     * (`undeliverable`, `marketing_stopped`, `user_limit`, `interrupted`, `rejected`, `retries_exhausted`).
     */
    reason: text('reason'),
    /** Meta's wamid, once Meta accepted the message; statuses are matched by it. */
    messageId: text('message_id'),
    errorCode: integer('error_code'),
    errorTitle: text('error_title'),
    /** Calls made to Meta for this recipient. */
    attempts: integer('attempts').notNull().default(0),
    /** Deferrals after Meta's per-user marketing limit (131049); at most two. */
    limitDeferrals: integer('limit_deferrals').notNull().default(0),
    /** When it is due (again): its turn, or the end of a backoff, quiet hours or a 24 h deferral. */
    nextAttemptAt: timestamptz('next_attempt_at').notNull().defaultNow(),
    attemptedAt: timestamptz('attempted_at'),
    sentAt: timestamptz('sent_at'),
    deliveredAt: timestamptz('delivered_at'),
    readAt: timestamptz('read_at'),
    failedAt: timestamptz('failed_at'),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.position] }),
    uniqueIndex('campaign_recipients_customer_key').on(t.customerId, t.campaignId),
    uniqueIndex('campaign_recipients_message_id_key')
      .on(t.messageId)
      .where(sql`${t.messageId} is not null`),
    // The worker's "next due" claim: queued rows of a campaign by due time, then position.
    index('campaign_recipients_due_idx')
      .on(t.campaignId, t.nextAttemptAt, t.position)
      .where(sql`${t.status} = 'queued'`),
    // Rows a dead worker left in flight, for the reconciliation on restart.
    index('campaign_recipients_sending_idx')
      .on(t.campaignId, t.attemptedAt)
      .where(sql`${t.status} = 'sending'`),
  ],
);
export type CampaignRecipient = typeof campaignRecipients.$inferSelect;

/**
 * Who sends from a business phone number now: one worker at a time per number (on any instance), so that the number's
 * rate is one token bucket. A worker renews its lease while it runs; a lease past `until` belongs to a worker that
 * died or stalled, and the next one takes it over and reconciles what that one left in flight.
 */
export const campaignSendLeases = pgTable('campaign_send_leases', {
  phoneNumberId: text('phone_number_id').primaryKey(),
  owner: text('owner').notNull(),
  until: timestamptz('until').notNull(),
});

export const complaints = pgTable(
  'complaints',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    customerId: bigint('customer_id', { mode: 'number' }).references(() => customers.id),
    contactEmail: text('contact_email'),
    contactPhone: text('contact_phone'),
    channel: channel('channel').notNull(),
    market: char('market', { length: 2 }),
    kind: complaintKind('kind').notNull(),
    description: text('description').notNull(),
    campaignId: integer('campaign_id').references(() => campaigns.id),
    receivedAt: timestamptz('received_at').notNull(),
    status: complaintStatus('status').notNull().default('open'),
    urgent: boolean('urgent').notNull().default(false),
    assigneeId: integer('assignee_id').references(() => users.id),
    resolutionNote: text('resolution_note'),
    createdBy: integer('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('complaints_received_at_idx').on(t.receivedAt),
    index('complaints_status_idx').on(t.status, t.receivedAt),
    index('complaints_customer_idx').on(t.customerId),
    index('complaints_kind_received_at_idx').on(t.kind, t.receivedAt),
    index('complaints_campaign_idx').on(t.campaignId),
    // An erasure finds the complaints that name the person's contact points without their record.
    index('complaints_contact_email_idx')
      .on(t.contactEmail)
      .where(sql`${t.contactEmail} is not null`),
    index('complaints_contact_phone_idx')
      .on(t.contactPhone)
      .where(sql`${t.contactPhone} is not null`),
  ],
);
export type Complaint = typeof complaints.$inferSelect;

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamptz('at').notNull().defaultNow(),
    actorId: integer('actor_id').references(() => users.id),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id'),
    before: jsonb('before').$type<unknown>(),
    after: jsonb('after').$type<unknown>(),
    /**
     * The entry's place in the hash chain (1, 2, 3 ... without gaps), given by the insert trigger under a lock, so that
     * entries of transactions running side by side still form one chain (db/sql/audit-chain.sql).
     */
    seq: bigint('seq', { mode: 'number' }).notNull(),
    /** The hash of the entry before (64 zeros for the first). */
    prevHash: text('prev_hash').notNull(),
    /** SHA-256 (hex) over the entry's canonical form, prev_hash included (audit_log_hash). */
    hash: text('hash').notNull(),
  },
  (t) => [
    index('audit_log_entity_idx').on(t.entity, t.entityId, t.at),
    index('audit_log_at_idx').on(t.at),
    uniqueIndex('audit_log_seq_key').on(t.seq),
    index('audit_log_action_idx').on(t.action, t.at),
  ],
);
export type AuditEntry = typeof auditLog.$inferSelect;

export const retentionRunStatus = pgEnum('retention_run_status', ['running', 'done', 'failed']);

/** Each run of retention (lib/retention): who or what started it, and how many of each kind of data it removed. */
export const retentionRuns = pgTable(
  'retention_runs',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    /** Null when the daily schedule started it. */
    startedBy: integer('started_by').references(() => users.id),
    startedAt: timestamptz('started_at').notNull().defaultNow(),
    finishedAt: timestamptz('finished_at'),
    status: retentionRunStatus('status').notNull().default('running'),
    /** Counts per kind (RetentionCounts), filled in as the run goes. */
    removed: jsonb('removed').$type<Record<string, number>>().notNull().default({}),
    /** The settings the run applied. */
    settings: jsonb('settings').$type<unknown>().notNull(),
    error: text('error'),
  },
  (t) => [index('retention_runs_started_at_idx').on(t.startedAt)],
);
export type RetentionRun = typeof retentionRuns.$inferSelect;

/** Small settings an admin changes (alert thresholds, what a WhatsApp STOP withdraws), one JSON value per key. */
export const appSettings = pgTable('app_settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').$type<unknown>().notNull(),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  updatedBy: integer('updated_by').references(() => users.id),
});

/**
 * Opt-outs per day (UTC), market, channel and source, kept in step with the ledger by a trigger (see the migration).
 * A withdrawal of several purposes at the same moment is one opt-out. The monitor reads this instead of the ledger.
 */
export const optOutsDaily = pgTable(
  'opt_outs_daily',
  {
    day: date('day', { mode: 'string' }).notNull(),
    market: char('market', { length: 2 }).notNull(),
    channel: channel('channel').notNull(),
    source: text('source').notNull(),
    n: bigint('n', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.market, t.channel, t.source] })],
);

/**
 * WhatsApp replies that read like an objection but are no exact keyword, waiting for a person to decide (support,
 * sellers, admins). Keyed by the wamid, so Meta's retry of a POST queues nothing twice. The customers are found by
 * the phone when the reply is shown and decided: a phone is a person, and an import may bring its customer later.
 */
export const replyReviews = pgTable(
  'reply_reviews',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    messageId: text('message_id').notNull(),
    phone: text('phone').notNull(),
    text: text('text').notNull(),
    /** The words of the reply that made it one to review, as the customer wrote them, to show why. */
    cue: text('cue').notNull(),
    receivedAt: timestamptz('received_at').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    status: replyReviewStatus('status').notNull().default('open'),
    decision: replyReviewDecision('decision'),
    complaintId: integer('complaint_id').references(() => complaints.id),
    decidedBy: integer('decided_by').references(() => users.id),
    decidedAt: timestamptz('decided_at'),
  },
  (t) => [
    uniqueIndex('reply_reviews_message_id_key').on(t.messageId),
    // The queue: open replies, oldest first; and the monitor's replies per week.
    index('reply_reviews_open_idx')
      .on(t.receivedAt)
      .where(sql`${t.status} = 'open'`),
    index('reply_reviews_received_at_idx').on(t.receivedAt),
    index('reply_reviews_phone_idx').on(t.phone),
    check(
      'reply_reviews_decided',
      sql`(${t.status} = 'open' and ${t.decision} is null and ${t.decidedAt} is null) or (${t.status} = 'decided' and ${t.decision} is not null and ${t.decidedAt} is not null)`,
    ),
  ],
);
export type ReplyReview = typeof replyReviews.$inferSelect;

/** What an API key may do: record consent, read decisions, create and update customers. */
export const apiScope = pgEnum('api_scope', ['consent:write', 'decisions:read', 'customers:write']);

/**
 * Keys of the consent API (/api/v1). The key itself is shown once; only its HMAC-SHA256 is stored (a random 256-bit
 * key needs no slow hash), with a prefix people recognise it by. Revoked keys stay, so the audit trail keeps its name.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    keyHash: text('key_hash').notNull(),
    scopes: apiScope('scopes').array().notNull(),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    /** Written at most once a minute per key and instance, not on every call. */
    lastUsedAt: timestamptz('last_used_at'),
    revokedAt: timestamptz('revoked_at'),
    revokedBy: integer('revoked_by').references(() => users.id),
  },
  (t) => [uniqueIndex('api_keys_key_hash_key').on(t.keyHash), check('api_keys_name_present', sql`length(trim(${t.name})) > 0`)],
);
export type ApiKey = typeof apiKeys.$inferSelect;

/**
 * The stored answer of an API write sent with an Idempotency-Key: the same key and body within 24 hours replay it,
 * the same key with another body is refused. Rows older than that are deleted or reused.
 */
export const apiIdempotency = pgTable(
  'api_idempotency',
  {
    keyId: integer('key_id')
      .notNull()
      .references(() => apiKeys.id),
    idempotencyKey: text('idempotency_key').notNull(),
    /** SHA-256 of the method, path and body. */
    requestHash: text('request_hash').notNull(),
    status: integer('status').notNull(),
    body: jsonb('body').$type<unknown>().notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.idempotencyKey] }), index('api_idempotency_created_at_idx').on(t.createdAt)],
);
/** A box of a hosted opt-in form: one channel and purpose, with the exact words shown beside it. */
export type OptInBox = { channel: (typeof channel.enumValues)[number]; purpose: (typeof purpose.enumValues)[number]; wording: string };

/**
 * A hosted opt-in form (`/f/<slug>`) of a shop, in one language. What the customer reads on it lives in its versions;
 * the form holds what may change without changing what a customer agreed to (the switch, the origins, active).
 */
export const optInForms = pgTable(
  'opt_in_forms',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    slug: text('slug').notNull(),
    /** The market of customers the form creates (ISO 3166-1 alpha-2); a customer already known keeps their own. */
    market: char('market', { length: 2 }).notNull(),
    /** Ask every customer to confirm by e-mail, whatever their market's rule says. */
    alwaysDoubleOptIn: boolean('always_double_opt_in').notNull().default(false),
    /** Origins (`https://shop.example`) whose pages may show the form in a frame. */
    allowedOrigins: jsonb('allowed_origins').$type<string[]>().notNull().default([]),
    active: boolean('active').notNull().default(true),
    /** The version shown now; no foreign key, since versions point back to their form. */
    currentVersionId: integer('current_version_id'),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('opt_in_forms_slug_key').on(t.slug),
    check('opt_in_forms_slug_format', sql`${t.slug} ~ '^[a-z0-9](?:[a-z0-9-]{1,58}[a-z0-9])$'`),
    check('opt_in_forms_market_format', sql`${t.market} ~ '^[A-Z]{2}$'`),
  ],
);
export type OptInForm = typeof optInForms.$inferSelect;

/**
 * What a form showed, as it was: a change of any of it makes a new version, and a version is never changed (a trigger
 * refuses it), so every grant's evidence can name the version the customer saw.
 */
export const optInFormVersions = pgTable(
  'opt_in_form_versions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    formId: integer('form_id')
      .notNull()
      .references(() => optInForms.id),
    version: integer('version').notNull(),
    shopName: text('shop_name').notNull(),
    privacyUrl: text('privacy_url').notNull(),
    /** One of the public pages' languages. */
    language: text('language').notNull(),
    boxes: jsonb('boxes').$type<OptInBox[]>().notNull(),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('opt_in_form_versions_form_version_key').on(t.formId, t.version)],
);
export type OptInFormVersion = typeof optInFormVersions.$inferSelect;

/** What a confirmation link confirms: a grant of one channel and purpose, given at that moment (a later one is another). */
export type ConfirmationItem = {
  channel: (typeof channel.enumValues)[number];
  purpose: (typeof purpose.enumValues)[number];
  grantedAt: string;
};

/**
 * Double opt-in requests: each confirmation link names one of these by its id, which makes the link single-use (used_at)
 * and says what it confirms.
 */
export const confirmations = pgTable(
  'confirmations',
  {
    id: text('id').primaryKey(),
    customerId: bigint('customer_id', { mode: 'number' })
      .notNull()
      .references(() => customers.id),
    items: jsonb('items').$type<ConfirmationItem[]>().notNull(),
    /** The shop the customer is asked to confirm for, as the mail and the confirmation page name it. */
    shopName: text('shop_name').notNull(),
    /** The public page language of the mail and the confirmation page. */
    language: text('language').notNull(),
    /** The form whose submission asked for it; null for a request a seller sent to customers already pending. */
    formVersionId: integer('form_version_id').references(() => optInFormVersions.id),
    runId: integer('run_id'),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    expiresAt: timestamptz('expires_at').notNull(),
    sentAt: timestamptz('sent_at'),
    /** Why the mail did not go out (no mail server configured, the server refused it). */
    sendError: text('send_error'),
    usedAt: timestamptz('used_at'),
  },
  (t) => [index('confirmations_customer_idx').on(t.customerId, t.createdAt), index('confirmations_run_idx').on(t.runId)],
);
export type Confirmation = typeof confirmations.$inferSelect;

export const confirmationRunStatus = pgEnum('confirmation_run_status', ['queued', 'running', 'done', 'failed']);

/** A seller's sending of confirmation mails to the pending customers of a filtered list, run as a background job. */
export const confirmationRuns = pgTable(
  'confirmation_runs',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    /** The customer list's filter, as in its URL. */
    filter: jsonb('filter').$type<Record<string, unknown>>().notNull(),
    /** The shop the mails ask the customers to confirm for. */
    shopName: text('shop_name').notNull(),
    /** Where the links point (the address the seller used), since a job has no request to read it from. */
    baseUrl: text('base_url').notNull(),
    status: confirmationRunStatus('status').notNull().default('queued'),
    /** Customers with a pending consent and an e-mail address found so far. */
    found: integer('found').notNull().default(0),
    sent: integer('sent').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    failure: text('failure'),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    finishedAt: timestamptz('finished_at'),
  },
  (t) => [index('confirmation_runs_created_at_idx').on(t.createdAt)],
);
export type ConfirmationRun = typeof confirmationRuns.$inferSelect;
