// The words of the consent domain, shared by the pure core, the database layer and the UI.
export const CHANNELS = ['email', 'sms', 'whatsapp', 'phone'] as const;
export type Channel = (typeof CHANNELS)[number];

export const PURPOSES = ['marketing', 'transactional'] as const;
export type Purpose = (typeof PURPOSES)[number];

export const EVENT_KINDS = ['granted', 'confirmed', 'withdrawn'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const STATUSES = ['granted', 'pending_confirmation', 'withdrawn', 'unknown'] as const;
export type Status = (typeof STATUSES)[number];

/** Sources whose grants never re-open a withdrawn channel: bulk data is not a new act of the customer. */
export const IMPORT_SOURCE = 'import';

export type LedgerEvent = {
  id: number;
  kind: EventKind;
  occurredAt: Date;
  source: string;
  /** The grant starts a double opt-in and stays pending until a confirmation event. */
  doubleOptIn?: boolean;
};

export type ConsentState = {
  status: Status;
  /** When the grant in force was given. */
  grantedAt: Date | null;
  /** When the grant in force was confirmed by double opt-in. */
  confirmedAt: Date | null;
  withdrawnAt: Date | null;
  /** The last event that changed the state, and when it occurred. */
  lastEventId: number | null;
  lastOccurredAt: Date | null;
  /** Source of the last event that changed the state. */
  source: string | null;
};

export const UNKNOWN_STATE: ConsentState = {
  status: 'unknown',
  grantedAt: null,
  confirmedAt: null,
  withdrawnAt: null,
  lastEventId: null,
  lastOccurredAt: null,
  source: null,
};

export type Policy = {
  market: string;
  channel: Channel;
  purpose: Purpose;
  priorConsentRequired: boolean;
  doubleOptInRequired: boolean;
  /** E-mail (and in FR SMS) advertising to existing customers for similar products without consent. */
  existingCustomerException: boolean;
  /** Empty: consent does not expire by itself. */
  consentValidMonths: number | null;
  legalReference: string;
};

export const BLOCK_REASONS = [
  'erased',
  'market_not_configured',
  'no_contact_point',
  'withdrawn',
  'marketplace_policy',
  'confirmation_pending',
  'consent_expired',
  'no_consent',
] as const;
export type BlockReason = (typeof BLOCK_REASONS)[number];

export const ALLOW_REASONS = ['consent', 'existing_customer', 'no_consent_required'] as const;
export type AllowReason = (typeof ALLOW_REASONS)[number];

export type Decision = { allowed: true; reason: AllowReason } | { allowed: false; reason: BlockReason };

/** What evaluate needs to know of a customer. */
export type CustomerFacts = {
  market: string;
  email: string | null;
  phone: string | null;
  erasedAt: Date | null;
  lastOrderAt: Date | null;
  objectionNoticeAt: Date | null;
  /** The customer bought through a marketplace whose rules forbid contacting its buyers ('amazon'), or null. */
  marketplace: string | null;
};
