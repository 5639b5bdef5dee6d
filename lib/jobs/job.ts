// What a background job is to the queue: a name, how long a run may take, and its logic, which knows nothing of the queue.
import type { Db } from '@/db';

/** What a job's logic gets besides its data. `embedded`: the database is the embedded one, held by one process. */
export type JobContext = { db: Db; embedded: boolean };

/** `retried`: an earlier run of this job did not finish (its instance stopped, or it outlived its expiry). */
export type JobRun<T> = (context: JobContext, data: T, attempt: { retried: boolean }) => Promise<void>;

export type JobDefinition<T> = {
  name: string;
  /**
   * How long a run may hold the job before the queue takes it for dead and offers it again (pg-boss fails it by
   * timeout and, with a retry left, makes it fetchable): the time a killed instance's job stays invisible.
   */
  expireInSeconds: number;
  run: JobRun<T>;
  /** The key under which at most one such job waits and one runs: the same work queued twice runs once. */
  key: (data: T) => string;
  /**
   * Run when an embedded instance starts: the database is this process's alone, so whatever its runs left marked as
   * running died with the process before it, and says so.
   */
  interrupted: (context: JobContext) => Promise<unknown>;
  /**
   * Queued by pg-boss's clock (cron, UTC) with this data (a T; typed loosely so that every job fits one list); of
   * several instances one sends it.
   */
  schedule?: { cron: string; data: object };
};
