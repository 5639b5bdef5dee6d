// The job queue: pg-boss in the app's own database (schema `pgboss`), on PostgreSQL and on the embedded PGlite alike,
// so that every job has one code path. Each app instance starts it with workers for every job; a job runs on
// whichever instance fetches it first.
import type { SQL } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import PgBoss from 'pg-boss';
import type { DbHandle, Queryable } from '@/db';
import { rowsOf } from '@/db/sql';
import { campaignSendJob } from './campaign-send';
import { confirmationMailsJob } from './confirmation-mails';
import { importCommitJob } from './import-commit';
import { importDryRunJob } from './import-dry-run';
import { retentionJob } from './retention';
import type { JobContext, JobDefinition } from './job';
import { logger } from '@/lib/log';

// Every job the app runs: each instance works on all of them.
const JOBS: Array<JobDefinition<never>> = [importDryRunJob, importCommitJob, retentionJob, campaignSendJob, confirmationMailsJob];

// How often an idle worker asks for a job: the wait a user sees before a dry run starts.
const POLL_SECONDS = 1;

// The advisory lock under which an instance sets up the queue (any number the app uses for nothing else).
const JOBS_SETUP_LOCK = 7_243_011;

// How long stopping may wait for the database to take back the running jobs.
const STOP_MS = 5_000;

type Queue = { boss: PgBoss; context: JobContext };
const state = globalThis as unknown as { zgodaJobs?: Promise<Queue> };

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

/**
 * pg-boss's way to send SQL through a drizzle client or transaction, so that a job is queued in the same transaction
 * as the change that asks for it (both happen, or neither). Its `$n` placeholders become drizzle parameters; objects
 * go as JSON, as node-postgres would send them.
 */
export function drizzleSql(q: Queryable): PgBoss.Db {
  return {
    executeSql: async (text, values = []) => {
      const parts = text.split(/\$(\d+)/);
      const chunks: SQL[] = parts.map((part, i) => {
        if (i % 2 === 0) return sql.raw(part);
        // node-postgres sends an unset option (undefined) as null; drizzle would leave the parameter out.
        const value: unknown = values[Number(part) - 1] ?? null;
        return sql`${value !== null && typeof value === 'object' && !(value instanceof Date) ? JSON.stringify(value) : value}`;
      });
      return { rows: rowsOf(await q.execute(sql.join(chunks))) };
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
  state.zgodaJobs ??= open(handle).catch((error: unknown) => {
    state.zgodaJobs = undefined;
    throw error;
  });
  return state.zgodaJobs;
}

/**
 * Stops fetching jobs and gives back the ones running here, failed, so that another instance takes them at once
 * rather than after they expire (their transactions roll back as this process ends).
 */
export async function stopJobs(): Promise<void> {
  const queue = state.zgodaJobs;
  state.zgodaJobs = undefined;
  if (!queue) return;
  const { boss } = await queue;
  // The embedded database answers nothing while a job's transaction holds it: give up after a while, and the next
  // start finds the batch interrupted (failInterrupted).
  let timer: ReturnType<typeof setTimeout> | undefined;
  const giveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_MS)));
  await Promise.race([boss.stop({ graceful: false }), giveUp]).finally(() => clearTimeout(timer));
}

/**
 * Queues a job inside `q` (the transaction that claims its work). False when a job of the same key already waits:
 * the same work is not queued twice.
 */
export async function enqueue<T>(job: JobDefinition<T>, data: T, q: Queryable): Promise<boolean> {
  const queue = state.zgodaJobs;
  if (!queue) throw new Error('the job queue is not started');
  const { boss } = await queue;
  const id = await boss.send(job.name, data as object, { singletonKey: job.key(data), db: drizzleSql(q) });
  return id !== null;
}

/**
 * Queues a job to start at `startAfter` (at once when past). A job of the same key that already waits stays as it is:
 * a continuation queued while one waits is not needed.
 */
export async function enqueueLater<T>(job: JobDefinition<T>, data: T, startAfter: Date, q: Queryable): Promise<boolean> {
  const queue = state.zgodaJobs;
  if (!queue) throw new Error('the job queue is not started');
  const { boss } = await queue;
  const id = await boss.send(job.name, data as object, { singletonKey: job.key(data), startAfter, db: drizzleSql(q) });
  return id !== null;
}
