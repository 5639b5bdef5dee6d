// The database client: postgres.js when DATABASE_URL is set, embedded PGlite otherwise. Opened lazily on first use.
import path from 'node:path';
import fs from 'node:fs';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
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

/** Opens a client for the given PostgreSQL URL, or for an embedded PGlite directory ("memory://" for a throwaway one). */
export async function openDb(target: { url: string } | { pgliteDir: string }): Promise<DbHandle> {
  if ('url' in target) {
    const { default: postgres } = await import('postgres');
    const { drizzle } = await import('drizzle-orm/postgres-js');
    const client = postgres(target.url, { max: Number(process.env.DATABASE_POOL_SIZE ?? 10), onnotice: () => {} });
    const db = drizzle({ client, schema }) as unknown as Db;
    const exclusive = async <T>(key: number, fn: () => Promise<T>): Promise<T> => {
      const own = await client.reserve();
      try {
        await own`select pg_advisory_lock(${key})`;
        try {
          return await fn();
        } finally {
          await own`select pg_advisory_unlock(${key})`;
        }
      } finally {
        own.release();
      }
    };
    return { db, driver: 'postgres', close: () => client.end({ timeout: 5 }), exclusive };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  if (!target.pgliteDir.startsWith('memory://')) fs.mkdirSync(/*turbopackIgnore: true*/ target.pgliteDir, { recursive: true });
  const client = await PGlite.create(target.pgliteDir);
  const db = drizzle({ client, schema }) as unknown as Db;
  return { db, driver: 'pglite', close: () => client.close() };
}

export function defaultTarget(): { url: string } | { pgliteDir: string } {
  const url = process.env.DATABASE_URL;
  return url ? { url } : { pgliteDir: pgliteDir() };
}

// One client per process; kept on globalThis so that dev reloads do not open the embedded database twice.
const globalForDb = globalThis as unknown as { zgodaDb?: Promise<DbHandle> };

/** The process-wide client, opened on first call. */
export function getDb(): Promise<Db> {
  globalForDb.zgodaDb ??= openDb(defaultTarget());
  return globalForDb.zgodaDb.then((h) => h.db);
}
