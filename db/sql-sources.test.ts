// db/sql holds what the database runs: a fresh database, migrated, has exactly the functions, triggers and views the
// sources define, with the same definitions. A migration that changes one without db/sql, or an edit of db/sql without
// a migration (npm run db:sql-migration), fails here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { DbHandle } from './index';
import { readSqlSources, splitStatements, sqlSourcesMigration } from './sql-sources';
import { rowsOf } from './sql';
import { createTestDb, testDrivers } from './testing';

type Catalog = { functions: Record<string, string>; triggers: Record<string, string>; views: Record<string, string> };

/** What the database runs, as PostgreSQL prints it back: functions, triggers (with whether they fire) and views. */
async function catalog(handle: DbHandle): Promise<Catalog> {
  const read = async (query: ReturnType<typeof sql>) =>
    Object.fromEntries(rowsOf<{ name: string; def: string }>(await handle.db.execute(query)).map((r) => [r.name, r.def]));
  return {
    functions: await read(sql`
      select p.proname as name, pg_get_functiondef(p.oid) as def
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = 'public' and p.prokind in ('f', 'p')`),
    triggers: await read(sql`
      select t.tgname || ' on ' || c.relname as name, pg_get_triggerdef(t.oid) || ' (enabled: ' || t.tgenabled::text || ')' as def
      from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and not t.tgisinternal`),
    views: await read(sql`
      select c.relname as name, pg_get_viewdef(c.oid) as def
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('v', 'm')`),
  };
}

// Each source statement defines one thing and can be applied again: CREATE OR REPLACE of a function, trigger or view.
// A constraint trigger (deferrable), which PostgreSQL cannot replace, is dropped if it exists and created again, by
// the statement just before it.
const DEFINITION = /^CREATE (?:OR REPLACE (FUNCTION|TRIGGER|VIEW)|CONSTRAINT (TRIGGER)) (\w+)(?:.*?\sON (\w+)\s)?/is;
const DROP_TRIGGER = /^DROP TRIGGER IF EXISTS (\w+) ON (\w+);?$/i;

function withoutLeadingComments(statement: string): string {
  return statement.replace(/^(\s*--[^\n]*\n)+/, '').trim();
}

/** The names the sources define, keyed as catalog() keys them. */
function definedNames(): Record<keyof Catalog, string[]> {
  const names: Record<keyof Catalog, string[]> = { functions: [], triggers: [], views: [] };
  for (const { file, text } of readSqlSources()) {
    let dropped: string | null = null;
    for (const statement of splitStatements(text)) {
      const drop = DROP_TRIGGER.exec(withoutLeadingComments(statement));
      if (drop) {
        dropped = `${drop[1]} on ${drop[2]}`;
        continue;
      }
      const match = DEFINITION.exec(withoutLeadingComments(statement));
      if (!match) throw new Error(`db/sql/${file}: not a CREATE OR REPLACE FUNCTION, TRIGGER or VIEW: ${statement.slice(0, 120)}`);
      const [, kind, constraint, name, table] = match;
      if (constraint && dropped !== `${name} on ${table}`) {
        throw new Error(`db/sql/${file}: CREATE CONSTRAINT TRIGGER ${name} without DROP TRIGGER IF EXISTS ${name} ON ${table} before it`);
      }
      if (!constraint && dropped) throw new Error(`db/sql/${file}: DROP TRIGGER without its CREATE CONSTRAINT TRIGGER after it`);
      dropped = null;
      if (constraint || kind!.toUpperCase() === 'TRIGGER') names.triggers.push(`${name} on ${table}`);
      else if (kind!.toUpperCase() === 'FUNCTION') names.functions.push(name!);
      else names.views.push(name!);
    }
  }
  return names;
}

// Layout and comments aside: what a PL/pgSQL body sends to the database.
const normalize = (body: string) =>
  body
    .replace(/--[^\n]*/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/\( /g, '(')
    .replace(/ \)/g, ')')
    .trim();

describe('the sources in db/sql', () => {
  it('define each function, trigger and view once, one statement each', () => {
    const names = definedNames();
    expect(names.functions.length).toBeGreaterThan(0);
    for (const list of Object.values(names)) expect(list.filter((name, i) => list.indexOf(name) !== i)).toEqual([]);
  });

  it('make up a migration with the statements of every file and nothing else', () => {
    expect(splitStatements(sqlSourcesMigration())).toEqual(readSqlSources().flatMap(({ text }) => splitStatements(text)));
  });
});

describe.each(testDrivers())('db/sql against a migrated database on %s', (driver) => {
  let handle: DbHandle;
  let migrated: Catalog;
  beforeAll(async () => {
    handle = await createTestDb(driver);
    migrated = await catalog(handle);
  }, 120_000);
  afterAll(async () => {
    await handle?.close();
  });

  it('defines every function, trigger and view the database has, and nothing it lacks', () => {
    const names = definedNames();
    expect(Object.keys(migrated.functions).sort()).toEqual([...names.functions].sort());
    expect(Object.keys(migrated.triggers).sort()).toEqual([...names.triggers].sort());
    expect(Object.keys(migrated.views).sort()).toEqual([...names.views].sort());
  });

  it('defines each of them as the migrations left it: applying the sources again changes nothing', async () => {
    for (const { text } of readSqlSources()) {
      for (const statement of splitStatements(text)) await handle.db.execute(sql.raw(statement));
    }
    expect(await catalog(handle)).toEqual(migrated);
  });

  it.each(['INSERT', 'DELETE'])(
    'writes out the static %s trigger of consent_intervals as coverage_interval_trigger_source makes it',
    async (op) => {
      const [row] = rowsOf<{ written: string; made: string }>(
        await handle.db.execute(sql`
        select p.prosrc as written, coverage_interval_trigger_source(${op}) as made
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'public' and p.proname = ${`consent_intervals_coverage_${op.toLowerCase()}`}`),
      );
      expect(normalize(row!.written)).toBe(normalize(row!.made));
    },
  );

  it('writes out coverage_apply_pending as coverage_apply_pending_source makes it', async () => {
    const [row] = rowsOf<{ written: string; made: string }>(
      await handle.db.execute(sql`
        select p.prosrc as written, coverage_apply_pending_source() as made
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'public' and p.proname = 'coverage_apply_pending'`),
    );
    expect(normalize(row!.written)).toBe(normalize(row!.made));
  });
});
