// What becomes of a customer whose ledger's retention period is over: the erasure every erased customer gets (their
// personal data goes, the pseudonymous record and its ledger stay). Null while this build has no erasure.
import type { Db } from '@/db';

/** True when the customer was pseudonymised now (false: erased already, or gone). */
export type Pseudonymise = (db: Db, customerId: number) => Promise<boolean>;

export const pseudonymiseCustomer: Pseudonymise | null = null;
