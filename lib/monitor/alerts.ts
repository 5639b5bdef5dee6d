// Which of the admin's thresholds are crossed, from facts the monitor reads. Pure, so each rule is a table row in tests.
import type { AlertThresholds } from '@/lib/settings/app-settings';

export type AlertFacts = {
  campaigns: Array<{ id: number; name: string; rate: number | null }>;
  /** Complaints this ISO week, and in each of the four weeks before. */
  complaintsThisWeek: number;
  complaintsPreviousWeeks: number[];
  weekStart: string;
  openLegalNotices: number;
};

export type Alert =
  | { kind: 'campaign_rate'; campaignId: number; name: string; rate: number; threshold: number }
  | { kind: 'weekly_complaints'; count: number; threshold: number; weekStart: string }
  | { kind: 'complaints_trend'; count: number; average: number; factor: number; weekStart: string }
  | { kind: 'legal_notice'; count: number };

export function crossedAlerts(facts: AlertFacts, t: AlertThresholds): Alert[] {
  const alerts: Alert[] = [];
  for (const c of facts.campaigns) {
    if (c.rate !== null && c.rate * 100 > t.campaignOptOutRatePct) {
      alerts.push({ kind: 'campaign_rate', campaignId: c.id, name: c.name, rate: c.rate, threshold: t.campaignOptOutRatePct / 100 });
    }
  }
  if (facts.complaintsThisWeek > t.weeklyComplaints) {
    alerts.push({ kind: 'weekly_complaints', count: facts.complaintsThisWeek, threshold: t.weeklyComplaints, weekStart: facts.weekStart });
  }
  const weeks = facts.complaintsPreviousWeeks;
  const average = weeks.length ? weeks.reduce((a, b) => a + b, 0) / weeks.length : 0;
  if (average > 0 && facts.complaintsThisWeek > t.complaintsTrendFactor * average) {
    alerts.push({
      kind: 'complaints_trend',
      count: facts.complaintsThisWeek,
      average,
      factor: t.complaintsTrendFactor,
      weekStart: facts.weekStart,
    });
  }
  if (t.legalNotice && facts.openLegalNotices > 0) alerts.push({ kind: 'legal_notice', count: facts.openLegalNotices });
  return alerts;
}
