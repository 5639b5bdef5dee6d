// What becomes of a customer whose ledger's retention period is over: the erasure every erased customer gets (their
// personal data goes, the pseudonymous record and its ledger stay).
import type { Db } from '@/db';
import { eraseCustomer } from '@/lib/privacy/erase';

/** True when the customer was pseudonymised now (false: erased already, or gone). */
export type Pseudonymise = (db: Db, customerId: number) => Promise<boolean>;

/** The reason the audit log gives for an erasure retention made. */
export const RETENTION_ERASURE_REASON = 'Retention: the consent ledger was kept for its full period.';

export const pseudonymiseCustomer: Pseudonymise | null = async (db, customerId) =>
  (await eraseCustomer(db, { customerId, reason: RETENTION_ERASURE_REASON }, null)).ok;
