// The job queue: pg-boss in the app's own database (schema `pgboss`), on PostgreSQL and on the embedded PGlite alike,
// so that every job has one code path. Each app instance starts it with workers for every job (lib/jobs/workers.ts);
// a job runs on whichever instance fetches it first. This module only queues: it knows no job, so a job may queue
// its own continuation without importing the list of every job.
import type { SQL } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import type PgBoss from 'pg-boss';
import type { Queryable } from '@/db';
import { rowsOf } from '@/db/sql';
import type { JobContext, JobDefinition } from './job';

export type Queue = { boss: PgBoss; context: JobContext };
/** The queue this process started, shared with lib/jobs/workers.ts (and kept across module reloads in development). */
export const queueState = globalThis as unknown as { zgodaJobs?: Promise<Queue> };

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

/**
 * Queues a job inside `q` (the transaction that claims its work). False when a job of the same key already waits:
 * the same work is not queued twice.
 */
export async function enqueue<T>(job: JobDefinition<T>, data: T, q: Queryable): Promise<boolean> {
  const queue = queueState.zgodaJobs;
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
  const queue = queueState.zgodaJobs;
  if (!queue) throw new Error('the job queue is not started');
  const { boss } = await queue;
  const id = await boss.send(job.name, data as object, { singletonKey: job.key(data), startAfter, db: drizzleSql(q) });
  return id !== null;
}
