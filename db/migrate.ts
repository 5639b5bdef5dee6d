// Applies the committed migrations: `npm run db:migrate`, and before the server starts.
import { pathToFileURL } from 'node:url';
import type { DbHandle } from './index';
import { MIGRATIONS_FOLDER, closeDb, defaultTarget, openDb } from './index';

export async function migrateDb(handle: DbHandle): Promise<void> {
  if (handle.driver === 'pglite') {
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    await migrate(handle.db as unknown as Parameters<typeof migrate>[0], { migrationsFolder: MIGRATIONS_FOLDER });
  } else {
    const { migrate } = await import('drizzle-orm/postgres-js/migrator');
    await migrate(handle.db as unknown as Parameters<typeof migrate>[0], { migrationsFolder: MIGRATIONS_FOLDER });
  }
}

async function main() {
  const handle = await openDb(defaultTarget());
  try {
    await migrateDb(handle);
    console.log(`Migrations applied (${handle.driver}).`);
  } finally {
    await handle.close();
    await closeDb();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
