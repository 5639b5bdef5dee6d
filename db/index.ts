// The database client: postgres.js when DATABASE_URL is set, embedded PGlite otherwise. Opened lazily on first use.
import path from 'node:path';
import fs from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { preparingClient } from './prepared';
import * as schema from './schema';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Anything that can run queries: the client or an open transaction. */
export type Queryable = Db | Tx;

export type DbHandle = {
  db: Db;
  driver: 'pglite' | 'postgres';
  close: () => Promise<void>;
  /** The embedded client itself, for the job queue, which sends it SQL text of its own (lib/jobs/queue.ts). */
  pglite?: PGlite;
  /** The PostgreSQL URL, for the job queue's own connections. */
  url?: string;
  /**
   * Runs `fn` while this process holds the PostgreSQL advisory lock `key` (on a connection of its own, so `fn` may
   * use the pool). Absent for the embedded database, which one process holds alone.
   */
  exclusive?: <T>(key: number, fn: () => Promise<T>) => Promise<T>;
};

export const MIGRATIONS_FOLDER = path.join(/*turbopackIgnore: true*/ process.cwd(), 'db', 'migrations');

export function dataDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.ZGODA_DATA_DIR ?? '.data');
}

export function pgliteDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.PGLITE_DIR ?? path.join(dataDir(), 'pglite'));
}

/** PostgreSQL's limits on each pooled connection, in milliseconds (0: none). */
export type SessionLimits = { statement_timeout: number; idle_in_transaction_session_timeout: number };

function millis(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw)) throw new Error(`${name} must be a whole number of milliseconds (0 turns the limit off), not "${raw}".`);
  return Number(raw);
}

/**
 * The limits the server enforces on the app's connections, so that no request holds a connection, a lock or a
 * snapshot without end: a statement running past `DATABASE_STATEMENT_TIMEOUT_MS` (default 60 s) is cancelled. Work
 * that is long by nature (the import's dry run and commit, the export's decision) lifts it for its own transaction
 * with `set local`.
 *
 * `DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS` ends a session left idle inside a transaction (which then rolls back).
 * It is off unless set: postgres.js 3.4.9 does not survive the server ending a pooled connection that way (an
 * uncatchable TypeError from its write queue, then CONNECT_TIMEOUT on the reused connection; porsager/postgres#1133,
 * #1208). No request of the app keeps a transaction open across anything but its own statements.
 */
export function sessionLimits(env: Readonly<Record<string, string | undefined>> = process.env): SessionLimits {
  return {
    statement_timeout: millis(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 60_000),
    idle_in_transaction_session_timeout: millis(env, 'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS', 0),
  };
}

/**
 * Opens a client for the given PostgreSQL URL, or for an embedded PGlite directory ("memory://" for a throwaway one).
 * `limits: false` leaves out the session limits, for the command-line scripts (migrations, seeding), whose statements
 * may run as long as the data asks and which no request waits on.
 */
export async function openDb(target: { url: string } | { pgliteDir: string }, options: { limits?: boolean } = {}): Promise<DbHandle> {
  if ('url' in target) {
    const { default: postgres } = await import('postgres');
    const { drizzle } = await import('drizzle-orm/postgres-js');
    const connection = options.limits === false ? {} : sessionLimits();
    const client = postgres(target.url, { max: Number(process.env.DATABASE_POOL_SIZE ?? 10), onnotice: () => {}, connection });
    const db = drizzle({ client: preparingClient(client), schema }) as unknown as Db;
    const exclusive = async <T>(key: number, fn: () => Promise<T>): Promise<T> => {
      const own = await client.reserve();
      try {
        // Waiting for the lock lasts as long as the holder's work (other instances' migrations), not one statement.
        await own`set statement_timeout = 0`;
        await own`select pg_advisory_lock(${key})`;
        try {
          return await fn();
        } finally {
          await own`select pg_advisory_unlock(${key})`;
          await own`reset statement_timeout`;
        }
      } finally {
        own.release();
      }
    };
    return { db, driver: 'postgres', close: () => client.end({ timeout: 5 }), exclusive, url: target.url };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  if (!target.pgliteDir.startsWith('memory://')) fs.mkdirSync(/*turbopackIgnore: true*/ target.pgliteDir, { recursive: true });
  const client = await PGlite.create(target.pgliteDir);
  const db = drizzle({ client, schema }) as unknown as Db;
  return { db, driver: 'pglite', close: () => client.close(), pglite: client };
}

export function defaultTarget(): { url: string } | { pgliteDir: string } {
  const url = process.env.DATABASE_URL;
  return url ? { url } : { pgliteDir: pgliteDir() };
}

// One client per process; kept on globalThis so that dev reloads do not open the embedded database twice.
const globalForDb = globalThis as unknown as { zgodaDb?: Promise<DbHandle> };

/** The process-wide handle, opened on first call. */
export function getDbHandle(): Promise<DbHandle> {
  globalForDb.zgodaDb ??= openDb(defaultTarget());
  return globalForDb.zgodaDb;
}

/** The process-wide client, opened on first call. */
export function getDb(): Promise<Db> {
  return getDbHandle().then((h) => h.db);
}
