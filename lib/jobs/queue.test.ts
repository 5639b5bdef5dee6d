import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import PgBoss from 'pg-boss';
import { rowsOf } from '@/db/sql';
import { createTestDb } from '@/db/testing';

// Instances of the app start together on PostgreSQL (a deploy); each starts the queue, which sets up its schema once.
describe.runIf(process.env.TEST_DATABASE_URL)('job queue on postgres', () => {
  it('starts on two instances at once on a fresh database, its schema set up once and apart from the app’s', async () => {
    const h = await createTestDb('postgres');
    const bosses = [0, 1].map(() => new PgBoss({ connectionString: h.url, schema: 'pgboss', max: 2, supervise: false, schedule: false }));
    try {
      await Promise.all(bosses.map((b) => b.start()));
      const [version] = rowsOf<{ n: number }>(await h.db.execute(sql`select count(*)::int as n from pgboss.version`));
      expect(version?.n).toBe(1);
      // The app's migrations stay as they were: pg-boss keeps to its own schema.
      const [tables] = rowsOf<{ n: number }>(
        await h.db.execute(
          sql`select count(*)::int as n from information_schema.tables where table_schema = 'public' and table_name like 'job%'`,
        ),
      );
      expect(tables?.n).toBe(0);
    } finally {
      await Promise.all(bosses.map((b) => b.stop({ graceful: false })));
      await h.close();
    }
  });
});
