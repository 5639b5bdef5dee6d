// Running a command-line script against the configured database (npm run db:migrate, db:seed, start).
import { pathToFileURL } from 'node:url';
import type { DbHandle } from './index';
import { defaultTarget, openDb } from './index';

/**
 * Opens the configured database for the length of `fn`, and closes it whatever happens. Without the session limits of
 * the app's pool: a migration or a seed of many customers runs as long as it needs.
 */
export async function withDb<T>(fn: (handle: DbHandle) => Promise<T>): Promise<T> {
  const handle = await openDb(defaultTarget(), { limits: false });
  try {
    return await fn(handle);
  } finally {
    await handle.close();
  }
}

/** Runs `fn` with the database when the module is the script node was started with. */
export function runAsScript(moduleUrl: string, fn: (handle: DbHandle) => Promise<void>): void {
  if (moduleUrl !== pathToFileURL(process.argv[1] ?? '').href) return;
  withDb(fn).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
