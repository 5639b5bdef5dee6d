import { describe, expect, it } from 'vitest';
import type { AlertFacts } from './alerts';
import { crossedAlerts } from './alerts';

const thresholds = { campaignOptOutRatePct: 2, weeklyComplaints: 10, complaintsTrendFactor: 2, legalNotice: true };
const quiet: AlertFacts = {
  campaigns: [],
  complaintsThisWeek: 0,
  complaintsPreviousWeeks: [0, 0, 0, 0],
  weekStart: '2026-03-02',
  openLegalNotices: 0,
};

describe('crossedAlerts', () => {
  it.each<[string, Partial<AlertFacts>, string[]]>([
    ['nothing when all is quiet', {}, []],
    ['a campaign above the rate', { campaigns: [{ id: 1, name: 'spring', rate: 0.021 }] }, ['campaign_rate']],
    ['not a campaign at the rate', { campaigns: [{ id: 1, name: 'spring', rate: 0.02 }] }, []],
    ['not a campaign without recipients', { campaigns: [{ id: 1, name: 'empty', rate: null }] }, []],
    ['weekly complaints above the count', { complaintsThisWeek: 11, complaintsPreviousWeeks: [10, 10, 10, 10] }, ['weekly_complaints']],
    ['not weekly complaints at the count', { complaintsThisWeek: 10, complaintsPreviousWeeks: [10, 10, 10, 10] }, []],
    ['complaints above twice the trailing average', { complaintsThisWeek: 5, complaintsPreviousWeeks: [2, 2, 2, 2] }, ['complaints_trend']],
    ['not at twice the trailing average', { complaintsThisWeek: 4, complaintsPreviousWeeks: [2, 2, 2, 2] }, []],
    ['no trend without earlier complaints', { complaintsThisWeek: 3, complaintsPreviousWeeks: [0, 0, 0, 0] }, []],
    ['any open legal notice', { openLegalNotices: 1 }, ['legal_notice']],
  ])('%s', (_label, facts, kinds) => {
    expect(crossedAlerts({ ...quiet, ...facts }, thresholds).map((a) => a.kind)).toEqual(kinds);
  });

  it('leaves legal notices out when the admin switched that alert off', () => {
    expect(crossedAlerts({ ...quiet, openLegalNotices: 2 }, { ...thresholds, legalNotice: false })).toEqual([]);
  });
});
