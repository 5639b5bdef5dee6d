// The current trigger functions, triggers and views of the database, read from db/sql (see db/sql/README.md).
import fs from 'node:fs';
import path from 'node:path';

export const SQL_SOURCES_FOLDER = path.join(/*turbopackIgnore: true*/ process.cwd(), 'db', 'sql');

/** What drizzle's migrator splits a migration on: each part is sent to the database as one statement. */
export const STATEMENT_BREAKPOINT = '--> statement-breakpoint';

export type SqlSource = { file: string; text: string };

/** The files of db/sql, in name order (the order a migration applies them in). */
export function readSqlSources(folder = SQL_SOURCES_FOLDER): SqlSource[] {
  return fs
    .readdirSync(folder)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => ({ file, text: fs.readFileSync(path.join(folder, file), 'utf8') }));
}

/** The statements of a source or a migration, as the migrator sends them. */
export function splitStatements(text: string): string[] {
  return text
    .split(STATEMENT_BREAKPOINT)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

/** The text of a migration that applies the sources as they stand: the files one after another, nothing else. */
export function sqlSourcesMigration(sources: readonly SqlSource[] = readSqlSources()): string {
  return sources.map(({ text }) => text.trimEnd() + '\n').join(`${STATEMENT_BREAKPOINT}\n`);
}
