import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { DbHandle } from '@/db';
import { rowsOf } from '@/db/sql';
import { consentEvents, customers, importBatches, importProgress } from '@/db/schema';
import { createTestDb, testDrivers } from '@/db/testing';
import { ensureDefaultPolicies } from '@/lib/consent-store/policies';
import { claimForCommit, createBatch, getImport } from '@/lib/import/batches';
import { detectPreset, guessMapping } from '@/lib/import/fields';
import { importFile } from '@/lib/import/files';
import { uploadFile } from '@/lib/import/fixtures';
import { progressWriter, readJobState } from '@/lib/import/progress';
import { sniffFile } from '@/lib/import/read';
import { importCommitJob } from './import-commit';
import { requestCommit, requestDryRun, retryImport } from './import';
import { startJobs, stopJobs } from './workers';

/** Three new customers, each with an e-mail grant, of their own for each batch (`batchId`: a tag of the batch's). */
const fileOf = (batchId: string) =>
  [
    'external_id,first_name,email,market,email_marketing,email_marketing_date,email_marketing_source',
    `B${batchId}-1,Anna,anna.${batchId}@example.pl,PL,tak,2026-03-14,checkout checkbox`,
    `B${batchId}-2,Jan,jan.${batchId}@example.pl,PL,yes,2026-03-14,web form`,
    `B${batchId}-3,Lena,lena.${batchId}@example.de,DE,ja,2026-03-15,web form`,
  ].join('\r\n');

process.env.ZGODA_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'zgoda-jobs-'));

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 30_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() - start > ms) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.each(testDrivers())('import jobs on %s', (driver) => {
  let h: DbHandle;
  let files = 0;
  beforeAll(async () => {
    h = await createTestDb(driver);
    await ensureDefaultPolicies(h.db);
    await startJobs(h);
  });
  afterAll(async () => {
    await stopJobs();
    await h?.close();
  });

  /** A batch of FILE; with `dryRun`, its dry run done through the queue. */
  async function batch(dryRun: boolean): Promise<number> {
    const tag = `${driver}${++files}`;
    const local = path.join(process.env.ZGODA_DATA_DIR!, `${tag}.csv`);
    fs.writeFileSync(local, fileOf(tag));
    const { fileKey, file } = await uploadFile(h.db, local);
    const id = await createBatch(h.db, {
      fileName: 'jobs.csv',
      sha256: 'x',
      fileKey,
      createdBy: null,
      sniff: { encoding: 'utf-8', delimiter: ',', header: [], preview: [] },
    });
    if (!dryRun) return id;
    const sniff = await sniffFile(file);
    const settings = {
      format: { encoding: sniff.encoding, delimiter: sniff.delimiter },
      mapping: guessMapping(sniff.header, detectPreset(sniff.header)),
      options: {},
    };
    expect(await requestDryRun(h.db, id, settings)).toBe(true);
    const done = await until(
      () => getImport(h.db, id),
      (b) => b?.status !== 'checking',
    );
    expect(done).toMatchObject({ status: 'dry_run', failure: null, rowsNew: 3 });
    return id;
  }
  const customersOf = async (id: number) => h.db.$count(customers, eq(customers.importBatchId, id));

  it('runs the dry run and the commit as jobs; the batch tells each outcome', async () => {
    const id = await batch(true);
    expect((await getImport(h.db, id))?.options.summary).toMatchObject({ rows: 3, new: 3 });
    expect(await requestCommit(h.db, id, null)).toBe(true);
    const done = await until(
      () => getImport(h.db, id),
      (b) => b?.status !== 'committing',
    );
    expect(done).toMatchObject({ status: 'committed', eventsWritten: 3 });
    expect(await customersOf(id)).toBe(3);
    // Done: no progress row is left behind.
    expect(await h.db.$count(importProgress, eq(importProgress.batchId, id))).toBe(0);
  });

  it('queues and runs a batch once when its commit is asked for twice', async () => {
    const id = await batch(true);
    const before = await h.db.$count(consentEvents);
    const asked = await Promise.allSettled([requestCommit(h.db, id, null), requestCommit(h.db, id, null)]);
    // Both in a transaction each: one claims the batch; the other finds it claimed (or waited for the claim to end).
    expect(asked.filter((a) => a.status === 'fulfilled' && a.value === true)).toHaveLength(1);
    const jobs = rowsOf<{ n: number }>(
      await h.db.execute(sql`select count(*)::int as n from pgboss.job where name = 'import-commit' and singleton_key = ${`batch:${id}`}`),
    );
    expect(jobs[0]?.n).toBe(1);
    await until(
      () => getImport(h.db, id),
      (b) => b?.status !== 'committing',
    );
    expect(await requestCommit(h.db, id, null)).toBe(false);
    expect((await h.db.$count(consentEvents)) - before).toBe(3);
  });

  it('a commit that fails half-way writes nothing and says so; retrying commits', async () => {
    const id = await batch(true);
    // The database refuses the ledger events, after the customers went in within the same transaction.
    await h.db.execute(
      sql`create function jobs_test_refuse() returns trigger language plpgsql as $$ begin raise exception 'refused'; end $$`,
    );
    await h.db.execute(
      sql`create trigger jobs_test_refuse before insert on consent_events for each statement execute function jobs_test_refuse()`,
    );
    try {
      expect(await requestCommit(h.db, id, null)).toBe(true);
      const failed = await until(
        () => getImport(h.db, id),
        (b) => b?.status !== 'committing',
      );
      expect(failed).toMatchObject({ status: 'failed', failure: { step: 'commit', reason: 'error' } });
      expect(await customersOf(id)).toBe(0);
    } finally {
      await h.db.execute(sql`drop trigger jobs_test_refuse on consent_events`);
      await h.db.execute(sql`drop function jobs_test_refuse()`);
    }
    expect(await retryImport(h.db, id, null)).toBe(true);
    const done = await until(
      () => getImport(h.db, id),
      (b) => b?.status !== 'committing',
    );
    expect(done).toMatchObject({ status: 'committed', failure: null });
    expect(await customersOf(id)).toBe(3);
  });

  it('a commit whose instance died is delivered again, says it was interrupted, and commits on retry', async () => {
    const id = await batch(true);
    expect(await claimForCommit(h.db, id)).toBe(true);
    // What the queue does with a job whose run never finished: it hands it out again, marked as retried.
    await importCommitJob.run({ db: h.db, embedded: driver === 'pglite' }, { batchId: id, actorId: null }, { retried: true });
    expect(await getImport(h.db, id)).toMatchObject({ status: 'failed', failure: { step: 'commit', reason: 'interrupted' } });
    expect(await customersOf(id)).toBe(0);
    // A delivery after that, of the same job, finds nothing to do.
    await importCommitJob.run({ db: h.db, embedded: driver === 'pglite' }, { batchId: id, actorId: null }, { retried: true });
    expect(await getImport(h.db, id)).toMatchObject({ status: 'failed' });
    expect(await retryImport(h.db, id, null)).toBe(true);
    expect(
      await until(
        () => getImport(h.db, id),
        (b) => b?.status !== 'committing',
      ),
    ).toMatchObject({ status: 'committed' });
    expect(await customersOf(id)).toBe(3);
  });

  it('a dry run that cannot reach the file or database fails with a reason and can be retried', async () => {
    const id = await batch(false);
    const sniff = await sniffFile(importFile(h.db, (await getImport(h.db, id))!));
    const settings = {
      format: { encoding: sniff.encoding, delimiter: sniff.delimiter },
      mapping: guessMapping(sniff.header, detectPreset(sniff.header)),
      options: {},
    };
    // The database refuses the dry run's last write, as a database going away would.
    await h.db.execute(
      sql`create function jobs_test_refuse() returns trigger language plpgsql as $$ begin raise exception 'refused'; end $$`,
    );
    await h.db.execute(
      sql`create trigger jobs_test_refuse before update on import_batches for each row when (new.options ? 'summary') execute function jobs_test_refuse()`,
    );
    try {
      expect(await requestDryRun(h.db, id, settings)).toBe(true);
      expect(
        await until(
          () => getImport(h.db, id),
          (b) => b?.status !== 'checking',
        ),
      ).toMatchObject({ status: 'failed', failure: { step: 'dry_run', reason: 'error' } });
    } finally {
      await h.db.execute(sql`drop trigger jobs_test_refuse on import_batches`);
      await h.db.execute(sql`drop function jobs_test_refuse()`);
    }
    expect(await retryImport(h.db, id, null)).toBe(true);
    expect(
      await until(
        () => getImport(h.db, id),
        (b) => b?.status !== 'checking',
      ),
    ).toMatchObject({ status: 'dry_run', rowsNew: 3 });
  });

  it('an embedded instance starting again says its unfinished commit was interrupted; on PostgreSQL another instance may be running it', async () => {
    const id = await batch(true);
    // Claimed, and the process stopped before its job ran (no job is queued here).
    expect(await claimForCommit(h.db, id)).toBe(true);
    await stopJobs();
    await startJobs(h);
    const after = await getImport(h.db, id);
    if (driver === 'pglite') expect(after).toMatchObject({ status: 'failed', failure: { step: 'commit', reason: 'interrupted' } });
    else expect(after).toMatchObject({ status: 'committing', failure: null });
  });

  it('reads the progress of a running job from the database, written by the instance running it', async () => {
    const id = await batch(true);
    await h.db.update(importBatches).set({ status: 'committing' }).where(eq(importBatches.id, id));
    const writer = progressWriter(h.db, id, 'committing', false);
    writer.report({ phase: 'customers', done: 1, total: 3 });
    writer.report({ phase: 'events', done: 2, total: 3 });
    const seen = await until(
      () => readJobState(h.db, id),
      (s) => s?.progress?.phase === 'events',
    );
    expect(seen).toEqual({ status: 'committing', progress: { phase: 'events', done: 2, total: 3 } });
    await writer.close();
    expect(await readJobState(h.db, id)).toEqual({ status: 'committing', progress: null });
    expect(await readJobState(h.db, 987_654)).toBeNull();
  });
});
