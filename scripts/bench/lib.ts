// Shared pieces of the benchmarks: a PostgreSQL database of their own, timing and percentiles.
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import type { Db, DbHandle } from '@/db';
import * as schema from '@/db/schema';
import { migrateDb } from '@/db/migrate';

export const BENCH_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/zgoda_bench';

/** Opens (creating and migrating when needed) the benchmark database; also returns the raw client for COPY. */
export async function openBenchDb(): Promise<DbHandle & { client: postgres.Sql }> {
  const url = new URL(BENCH_URL);
  const name = url.pathname.slice(1);
  const adminUrl = new URL(BENCH_URL);
  adminUrl.pathname = '/postgres';
  const admin = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} });
  const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
  if (!exists) await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const client = postgres(BENCH_URL, { max: 4, onnotice: () => {} });
  const db = drizzle({ client, schema }) as unknown as Db;
  const handle = { db, driver: 'postgres' as const, close: () => client.end({ timeout: 5 }), client };
  await migrateDb(handle);
  return handle;
}

export async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await fn();
  return { ms: performance.now() - start, result };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

export async function measure(label: string, runs: number, fn: (i: number) => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await fn(-1); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await time(() => fn(i))).ms);
  const p50 = percentile(times, 50);
  const p95 = percentile(times, 95);
  console.log(`${label.padEnd(46)} p50 ${p50.toFixed(1).padStart(8)} ms   p95 ${p95.toFixed(1).padStart(8)} ms   (${runs} runs)`);
  return { p50, p95 };
}

export function argument(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}
