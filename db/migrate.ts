// Applies the committed migrations: `npm run db:migrate`, and before the server starts.
import type { DbHandle } from './index';
import { MIGRATIONS_FOLDER } from './index';
import { runAsScript } from './script';

/** The advisory lock that instances starting together take, so that one applies the migrations and the others wait. */
export const MIGRATION_LOCK = 7_201_901;

export async function migrateDb(handle: DbHandle): Promise<void> {
  if (handle.driver === 'pglite') {
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    await migrate(handle.db as unknown as Parameters<typeof migrate>[0], { migrationsFolder: MIGRATIONS_FOLDER });
    return;
  }
  const { migrate } = await import('drizzle-orm/postgres-js/migrator');
  // drizzle reads the last applied migration before its transaction: without the lock two instances would both apply.
  const run = () => migrate(handle.db as unknown as Parameters<typeof migrate>[0], { migrationsFolder: MIGRATIONS_FOLDER });
  await (handle.exclusive ? handle.exclusive(MIGRATION_LOCK, run) : run());
}

runAsScript(import.meta.url, async (handle) => {
  await migrateDb(handle);
  console.log(`Migrations applied (${handle.driver}).`);
});
