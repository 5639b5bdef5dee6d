// The workers: each app instance starts the queue (lib/jobs/queue.ts) with a worker for every job the app runs.
import PgBoss from 'pg-boss';
import type { DbHandle } from '@/db';
import { logger } from '@/lib/log';
import { campaignSendJob } from './campaign-send';
import { confirmationMailsJob } from './confirmation-mails';
import { importCommitJob } from './import-commit';
import { importDryRunJob } from './import-dry-run';
import type { JobContext, JobDefinition } from './job';
import type { Queue } from './queue';
import { queueState } from './queue';
import { retentionJob } from './retention';

// Every job the app runs: each instance works on all of them.
const JOBS: Array<JobDefinition<never>> = [importDryRunJob, importCommitJob, retentionJob, campaignSendJob, confirmationMailsJob];

// How often an idle worker asks for a job: the wait a user sees before a dry run starts.
const POLL_SECONDS = 1;

// The advisory lock under which an instance sets up the queue (any number the app uses for nothing else).
const JOBS_SETUP_LOCK = 7_243_011;

// How long stopping may wait for the database to take back the running jobs.
const STOP_MS = 5_000;

/** pg-boss's way to send SQL text: PGlite runs statements without parameters as a script (pg-boss's setup is one). */
function pgliteSql(client: NonNullable<DbHandle['pglite']>): PgBoss.Db {
  return {
    executeSql: async (text, values) => {
      if (values?.length) return client.query(text, values);
      const results = await client.exec(text);
      return results.at(-1) ?? { rows: [] };
    },
  };
}

async function open(handle: DbHandle): Promise<Queue> {
  const embedded = handle.driver === 'pglite';
  const connection = handle.pglite
    ? { db: pgliteSql(handle.pglite) }
    : // Connections of its own: the queue's polling never waits behind requests for the app's pool, nor they behind it.
      { connectionString: handle.url, max: Number(process.env.JOBS_POOL_SIZE ?? 3) };
  // pg-boss creates or upgrades its schema in one transaction under an advisory lock of its own, so instances starting
  // together do not race, and it never touches the app's tables (db/migrate.ts keeps those, under its own lock).
  // Maintenance (which finds jobs past their expiry, those of a killed instance or of a run hung on a lost connection)
  // every 30 s rather than pg-boss's 120 s: such a batch says it was interrupted within half a minute of expiring.
  const boss = new PgBoss({ ...connection, schema: 'pgboss', application_name: 'zgoda-jobs', maintenanceIntervalSeconds: 30 });
  boss.on('error', (error) => logger.error({ err: error }, 'job queue error'));
  const context: JobContext = { db: handle.db, embedded };
  // Creating the queues is not safe to run side by side (two instances starting together deadlock in pg-boss's
  // create_queue): the setup runs under a lock of the app's, one instance after the other.
  const setUp = async () => {
    await boss.start();
    for (const job of JOBS) {
      // Stately: of each key (a batch) at most one job waits and one runs. One retry: a run that did not finish (its
      // instance died) comes back once, and the job then says so rather than starting over unasked.
      await boss.createQueue(job.name, {
        name: job.name,
        policy: 'stately',
        retryLimit: 1,
        retryDelay: 0,
        expireInSeconds: job.expireInSeconds,
      });
      // With the job's key, so that a scheduled run and one asked for meanwhile are the same one.
      if (job.schedule)
        await boss.schedule(job.name, job.schedule.cron, job.schedule.data, {
          tz: 'UTC',
          singletonKey: job.key(job.schedule.data as never),
        });
    }
  };
  await (handle.exclusive ? handle.exclusive(JOBS_SETUP_LOCK, setUp) : setUp());
  for (const job of JOBS) {
    // The embedded database is this process's alone: whatever it was running when it stopped is over.
    if (embedded) await job.interrupted(context);
    await boss.work<unknown>(job.name, { pollingIntervalSeconds: POLL_SECONDS, includeMetadata: true }, async ([item]) => {
      if (item) await job.run(context, item.data as never, { retried: item.retryCount > 0 });
    });
  }
  return { boss, context };
}

/** Starts the queue and its workers on the given database, once per process. */
export function startJobs(handle: DbHandle): Promise<Queue> {
  queueState.zgodaJobs ??= open(handle).catch((error: unknown) => {
    queueState.zgodaJobs = undefined;
    throw error;
  });
  return queueState.zgodaJobs;
}

/**
 * Stops fetching jobs and gives back the ones running here, failed, so that another instance takes them at once
 * rather than after they expire (their transactions roll back as this process ends).
 */
export async function stopJobs(): Promise<void> {
  const queue = queueState.zgodaJobs;
  queueState.zgodaJobs = undefined;
  if (!queue) return;
  const { boss } = await queue;
  // The embedded database answers nothing while a job's transaction holds it: give up after a while, and the next
  // start finds the batch interrupted (failInterrupted).
  let timer: ReturnType<typeof setTimeout> | undefined;
  const giveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_MS)));
  await Promise.race([boss.stop({ graceful: false }), giveUp]).finally(() => clearTimeout(timer));
}
