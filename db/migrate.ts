// Applies the committed migrations: `npm run db:migrate`, and before the server starts.
import type { DbHandle } from './index';
import { MIGRATIONS_FOLDER } from './index';
import { runAsScript } from './script';

export async function migrateDb(handle: DbHandle): Promise<void> {
  if (handle.driver === 'pglite') {
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    await migrate(handle.db as unknown as Parameters<typeof migrate>[0], { migrationsFolder: MIGRATIONS_FOLDER });
  } else {
    const { migrate } = await import('drizzle-orm/postgres-js/migrator');
    await migrate(handle.db as unknown as Parameters<typeof migrate>[0], { migrationsFolder: MIGRATIONS_FOLDER });
  }
}

runAsScript(import.meta.url, async (handle) => {
  await migrateDb(handle);
  console.log(`Migrations applied (${handle.driver}).`);
});
