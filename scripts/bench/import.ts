// `npm run bench:import [-- --rows N]`: writes a realistic customer file of N rows (default 1,000,000), then imports
// it into a fresh PostgreSQL database through the same code path the import page uses (upload into the file store,
// sniff, dry run, commit),
// and compares with a plain COPY of the same file into a scratch table. Prints rows/s and peak RSS.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import type { Db } from '@/db';
import * as schema from '@/db/schema';
import { migrateDb } from '@/db/migrate';
import { ensureDefaultPolicies } from '@/lib/consent-store/policies';
import { storedFile } from '@/lib/files/store';
import { createBatch } from '@/lib/import/batches';
import { saveUpload } from '@/lib/import/files';
import { detectPreset, guessMapping, TEMPLATE_COLUMNS } from '@/lib/import/fields';
import { sniffFile } from '@/lib/import/read';
import { commitImport } from '@/lib/import/commit';
import { dryRun } from '@/lib/import/dry-run';
import type { ImportProgress } from '@/lib/import/types';
import { mulberry32 } from '@/lib/random';
import { argument, time } from './lib';

const ROWS = argument('rows', 1_000_000);
const URL_BASE = process.env.BENCH_IMPORT_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/zgoda_bench_import';

const FIRST = ['Anna', 'Zofia', 'Łucja', 'Jan', 'Piotr', 'Lena', 'Jürgen', 'Marie', 'Chloé', 'Luca', 'Sofía', 'Daan'];
const LAST = ['Nowak', 'Kowalska', 'Wiśniewski', 'Müller', 'Schmidt', 'Dubois', 'Rossi', 'García', 'de Vries', 'Gruber'];
const MARKETS: Array<[string, string, (n: number) => string]> = [
  ['PL', 'Polska', (n) => `${600 + (n % 99)} ${String(n % 1000).padStart(3, '0')} ${String((n >> 3) % 1000).padStart(3, '0')}`],
  ['DE', 'Deutschland', (n) => `0151 ${String(n % 10_000_000).padStart(7, '0')}`],
  [
    'FR',
    'FR',
    (n) =>
      `06 ${String(n % 100).padStart(2, '0')} ${String((n >> 2) % 100).padStart(2, '0')} ${String((n >> 4) % 100).padStart(2, '0')} ${String((n >> 6) % 100).padStart(2, '0')}`,
  ],
  ['AT', 'Österreich', (n) => `+43 664 ${String(n % 10_000_000).padStart(7, '0')}`],
  ['NL', 'NL', (n) => `06 ${String(n % 100_000_000).padStart(8, '0')}`],
];

function quote(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The file; with `orderYear` the same customers, each row's last order in that year. */
async function writeFile(file: string, rows: number, orderYear = 2025): Promise<void> {
  const rnd = mulberry32(42);
  const header = TEMPLATE_COLUMNS.map((c) => c.header);
  const index = new Map(header.map((h, i) => [h, i]));
  async function* lines() {
    yield header.join(',') + '\r\n';
    let chunk = '';
    for (let n = 1; n <= rows; n++) {
      const cells = new Array<string>(header.length).fill('');
      const [, country, phone] = MARKETS[Math.floor(rnd() * MARKETS.length)]!;
      const dup = rnd() < 0.002 && n > 10; // a few rows repeat an earlier customer's e-mail
      const id = dup ? n - 7 : n;
      const set = (h: string, v: string) => (cells[index.get(h)!] = v);
      set('external_id', `SHOP-${n}`);
      set('first_name', FIRST[n % FIRST.length]!);
      set('last_name', rnd() < 0.01 ? `${LAST[n % LAST.length]}, Jr.` : LAST[(n >> 2) % LAST.length]!);
      set('email', rnd() < 0.005 ? `broken@@mail` : `customer${id}@example.com`);
      if (rnd() < 0.85) set('phone', phone(n * 7919));
      set('market', country);
      set('language', ['pl', 'de', 'fr', 'en'][n % 4]!);
      if (rnd() < 0.7)
        set('last_order_at', `${String(1 + (n % 28)).padStart(2, '0')}.${String(1 + (n % 12)).padStart(2, '0')}.${orderYear}`);
      const day = `2025-${String(1 + (n % 12)).padStart(2, '0')}-${String(1 + (n % 28)).padStart(2, '0')}`;
      const answer = rnd();
      set('email_marketing', answer < 0.55 ? 'yes' : answer < 0.8 ? 'no' : '');
      if (answer < 0.5 || (answer >= 0.55 && answer < 0.7)) set('email_marketing_date', day);
      if (answer < 0.5) set('email_marketing_source', 'checkout checkbox, form v3');
      const wa = rnd();
      set('whatsapp_transactional', wa < 0.4 ? 'tak' : wa < 0.5 ? 'nie' : '');
      if (wa < 0.5) set('whatsapp_transactional_date', day);
      if (wa < 0.4) set('whatsapp_transactional_source', 'order page opt-in');
      const sms = rnd();
      set('sms_marketing', sms < 0.2 ? 'ja' : sms < 0.3 ? 'nein' : '');
      if (sms < 0.3) set('sms_marketing_date', day);
      if (sms < 0.2) set('sms_marketing_source', 'newsletter form');
      chunk += cells.map(quote).join(',') + '\r\n';
      if (chunk.length > 1 << 20) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  await pipeline(lines(), fs.createWriteStream(file));
}

async function freshDatabase(): Promise<{ db: Db; client: postgres.Sql }> {
  const url = new URL(URL_BASE);
  const name = url.pathname.slice(1);
  const admin = new URL(URL_BASE);
  admin.pathname = '/postgres';
  const adminClient = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  await adminClient.unsafe(`drop database if exists "${name}" with (force)`);
  await adminClient.unsafe(`create database "${name}"`);
  await adminClient.end();
  const client = postgres(URL_BASE, { max: 4, onnotice: () => {} });
  const db = drizzle({ client, schema }) as unknown as Db;
  await migrateDb({ db, driver: 'postgres', close: async () => {} });
  await ensureDefaultPolicies(db);
  return { db, client };
}

/** Seconds spent in each phase the import reports, in the order they came. */
function phaseClock() {
  const spent: Array<[string, number]> = [];
  let phase = 'start';
  let since = performance.now();
  return {
    onProgress: (p: ImportProgress) => {
      if (p.phase === phase) return;
      spent.push([phase, performance.now() - since]);
      phase = p.phase;
      since = performance.now();
    },
    /** The operation returned: the phase it was in ends here. */
    stop: () => {
      spent.push([phase, performance.now() - since]);
    },
    report: () => spent.map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`).join(', '),
  };
}

async function main() {
  const file = path.join(os.tmpdir(), `zgoda-bench-import-${ROWS}.csv`);
  if (!fs.existsSync(file)) {
    console.log(`Writing ${ROWS.toLocaleString('en')} rows to ${file}`);
    await writeFile(file, ROWS);
  }
  const size = fs.statSync(file).size;
  console.log(`File: ${(size / 1024 / 1024).toFixed(1)} MB, ${ROWS.toLocaleString('en')} rows\n`);
  const { db, client } = await freshDatabase();

  // The baseline: the same bytes into a table of text columns with COPY, no reading, checking or ledger.
  const width = TEMPLATE_COLUMNS.length;
  await client.unsafe(`create unlogged table copy_baseline (${TEMPLATE_COLUMNS.map((c) => `"${c.header}" text`).join(', ')})`);
  const copy = await time(async () => {
    const target = await client.unsafe(`copy copy_baseline from stdin with (format csv, header true)`).writable();
    await pipeline(fs.createReadStream(file), target);
  });
  console.log(
    `plain COPY into a scratch table            ${(copy.ms / 1000).toFixed(1).padStart(7)} s   ${(ROWS / (copy.ms / 1000)).toFixed(0).padStart(8)} rows/s  (${width} columns)`,
  );
  await client.unsafe('drop table copy_baseline');

  const run = async (label: string, file: string) => {
    const upload = await time(() => saveUpload(db, fs.createReadStream(file, { highWaterMark: 1 << 20 })));
    const stored = storedFile(db, upload.result.key);
    const sniff = await sniffFile(stored);
    const batchId = await createBatch(db, {
      fileName: path.basename(file),
      sha256: upload.result.sha256,
      fileKey: upload.result.key,
      createdBy: null,
      sniff,
    });
    const settings = {
      format: { encoding: sniff.encoding, delimiter: sniff.delimiter },
      mapping: guessMapping(sniff.header, detectPreset(sniff.header)),
      options: {},
    };
    const dryPhases = phaseClock();
    const dry = await time(() => dryRun(db, batchId, stored, settings, dryPhases.onProgress));
    dryPhases.stop();
    const commitPhases = phaseClock();
    const commit = await time(() => commitImport(db, batchId, null, commitPhases.onProgress));
    commitPhases.stop();
    const total = dry.ms + commit.ms;
    const s = dry.result;
    console.log(`\n${label}`);
    console.log(
      `  upload into the file store               ${(upload.ms / 1000).toFixed(1).padStart(7)} s   ${(upload.result.size / 1024 / 1024 / (upload.ms / 1000)).toFixed(0).padStart(8)} MB/s`,
    );
    console.log(
      `  dry run (read, check, stage)             ${(dry.ms / 1000).toFixed(1).padStart(7)} s   ${(ROWS / (dry.ms / 1000)).toFixed(0).padStart(8)} rows/s`,
    );
    console.log(
      `  commit (customers, events, state)        ${(commit.ms / 1000).toFixed(1).padStart(7)} s   ${(ROWS / (commit.ms / 1000)).toFixed(0).padStart(8)} rows/s`,
    );
    console.log(
      `  dry run + commit                         ${(total / 1000).toFixed(1).padStart(7)} s   ${(ROWS / (total / 1000)).toFixed(0).padStart(8)} rows/s   ${(total / copy.ms).toFixed(1)}x the plain COPY`,
    );
    console.log(
      `  rows: ${s.new} new, ${s.updated} updated, ${s.unchanged} unchanged, ${s.rejected} rejected; events written: ${commit.result.ok ? commit.result.eventsWritten : 'failed'}`,
    );
    console.log(`  dry run by phase: ${dryPhases.report()}`);
    console.log(`  commit by phase: ${commitPhases.report()}`);
    return { dry, commit, total };
  };
  const first = await run('First import of the file', file);
  await run('Same file again (idempotent: nothing new to write)', file);
  // Another export of the same shop: the customers with a last order have another date there; their consents are the same.
  const newer = path.join(os.tmpdir(), `zgoda-bench-import-${ROWS}-newer.csv`);
  if (!fs.existsSync(newer)) await writeFile(newer, ROWS, 2024);
  await run('Same customers, 70% with another last order date (updated, no new consent)', newer);

  const [counts] = await client<Array<{ customers: number; events: number; states: number }>>`
    select (select count(*) from customers)::int as customers, (select count(*) from consent_events)::int as events, (select count(*) from consent_state)::int as states`;
  const peak = process.resourceUsage().maxRSS / 1024;
  console.log(
    `\nDatabase: ${counts!.customers.toLocaleString('en')} customers, ${counts!.events.toLocaleString('en')} consent events, ${counts!.states.toLocaleString('en')} states`,
  );
  console.log(`Peak RSS of this process: ${peak.toFixed(0)} MB (target 512 MB)`);
  console.log(
    `First import: ${(first.total / 1000).toFixed(1)} s for ${ROWS.toLocaleString('en')} rows (target 30 s for 1,000,000 on 2 cores)`,
  );
  await client.end({ timeout: 5 });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
