// Retention as a job: daily at 03:15 UTC from pg-boss's schedule (one instance sends it), or now from the Data
// protection page. Both share one key, so one run waits and one runs whatever asked for them.
import { eq } from 'drizzle-orm';
import { retentionRuns } from '@/db/schema';
import { runRetention } from '@/lib/retention/run';
import { readSetting } from '@/lib/settings/app-settings';
import type { JobDefinition } from './job';

export type RetentionData = { startedBy: number | null };

export const retentionJob: JobDefinition<RetentionData> = {
  name: 'retention',
  // A run over a million customers takes minutes; one that outlives this is offered again, and the next run marks the
  // first failed.
  expireInSeconds: 3600,
  key: () => 'retention',
  schedule: { cron: '15 3 * * *', data: { startedBy: null } satisfies RetentionData },
  interrupted: ({ db }) =>
    db
      .update(retentionRuns)
      .set({ status: 'failed', finishedAt: new Date(), error: 'interrupted: the instance running it stopped' })
      .where(eq(retentionRuns.status, 'running')),
  run: async ({ db }, { startedBy }) => {
    const settings = await readSetting(db, 'retention');
    await runRetention(db, { settings, startedBy });
  },
};
