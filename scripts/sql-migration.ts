// `npm run db:sql-migration -- <name>`: a new migration that applies db/sql as it stands, after an edit there
// (migrations are never edited once landed; db/sql/README.md).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS_FOLDER } from '@/db';
import { sqlSourcesMigration } from '@/db/sql-sources';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('Usage: npm run db:sql-migration -- <name>   (lower case letters, digits and _, e.g. coverage_by_language)');
  process.exit(1);
}
// drizzle-kit writes the empty migration with its journal entry and snapshot; the sources go into it.
execFileSync('npx', ['drizzle-kit', 'generate', '--custom', '--name', name], { stdio: 'inherit' });
const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as {
  entries: Array<{ tag: string }>;
};
const tag = journal.entries.at(-1)?.tag;
if (!tag?.endsWith(`_${name}`)) {
  console.error(`drizzle-kit wrote no migration named ${name}.`);
  process.exit(1);
}
const file = path.join(MIGRATIONS_FOLDER, `${tag}.sql`);
fs.writeFileSync(file, sqlSourcesMigration());
console.log(`${path.relative(process.cwd(), file)} applies db/sql.`);
