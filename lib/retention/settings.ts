// How long Zgoda keeps what it no longer needs: an admin's settings, within bounds, with defaults that err on the side
// of keeping the proof a seller owes and removing what only exposes the customer.
import { z } from '@/lib/zod';

export const retentionSettingsSchema = z.object({
  /** Import files and their staged and rejected rows, in days after the commit (or since the last change of an import left uncommitted). */
  importFilesDays: z.coerce.number().int().min(1).max(3650),
  /** The customer's own words (WhatsApp reply texts in the evidence and the review queue), in months after receipt. */
  replyTextMonths: z.coerce.number().int().min(1).max(120),
  /** Sign-in throttle counters, in days after their last failure. */
  signInThrottleDays: z.coerce.number().int().min(1).max(365),
  /**
   * The ledger and the audit log of a customer, in years after the customer's last consent event (and last order): then
   * the customer is pseudonymised as an erasure would. At least 3: consent to phone marketing must be provable for 5
   * years in Germany (UWG §7a), and claims over a message run for 3 (BGB §195).
   */
  ledgerYears: z.coerce.number().int().min(3).max(30),
});
export type RetentionSettings = z.infer<typeof retentionSettingsSchema>;

export const DEFAULT_RETENTION: RetentionSettings = { importFilesDays: 30, replyTextMonths: 24, signInThrottleDays: 30, ledgerYears: 5 };

/** The moments before which each kind of data is due, for a run at `now`. */
export function retentionCutoffs(settings: RetentionSettings, now: Date) {
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
  const monthsAgo = (months: number) => {
    const d = new Date(now);
    d.setUTCMonth(d.getUTCMonth() - months);
    return d;
  };
  return {
    importFiles: daysAgo(settings.importFilesDays),
    replyTexts: monthsAgo(settings.replyTextMonths),
    signInThrottle: daysAgo(settings.signInThrottleDays),
    ledger: monthsAgo(settings.ledgerYears * 12),
    // A piece of a file no batch names may be an upload still under way; one a day old is not.
    orphanChunks: daysAgo(1),
  };
}
