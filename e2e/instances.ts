// Several production instances of the built app on one PostgreSQL database, as a deployment behind a load balancer
// runs them: a database of their own (created, then dropped), the same secrets, each started as `npm run serve` does.
// For the two-instance e2e spec and the webhook load test.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';

const root = path.resolve(__dirname, '..');

/** The secrets every instance of one deployment shares. */
export type SharedSecrets = {
  AUTH_SECRET: string;
  SUPPRESSION_KEY: string;
  PUBLIC_LINK_SECRET: string;
  SECRETS_KEY: string;
  WHATSAPP_APP_SECRET: string;
};

export function randomSecrets(): SharedSecrets {
  const secret = () => randomBytes(32).toString('base64url');
  return {
    AUTH_SECRET: secret(),
    SUPPRESSION_KEY: secret(),
    PUBLIC_LINK_SECRET: secret(),
    SECRETS_KEY: secret(),
    WHATSAPP_APP_SECRET: secret(),
  };
}

/** Whether a production build is there to start (`next build` writes BUILD_ID last). */
export function hasBuild(): boolean {
  return fs.existsSync(path.join(root, '.next', 'BUILD_ID'));
}

function adminUrl(databaseUrl: string): { admin: string; name: string } {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  return { admin: url.toString(), name };
}

async function onServer(databaseUrl: string, statement: string): Promise<void> {
  const { admin } = adminUrl(databaseUrl);
  const client = postgres(admin, { max: 1, onnotice: () => {} });
  try {
    await client.unsafe(statement);
  } finally {
    await client.end({ timeout: 5 });
  }
}

/** Drops the database of `databaseUrl` if it is there, and creates it again, empty. */
export async function recreateDatabase(databaseUrl: string): Promise<void> {
  const { name } = adminUrl(databaseUrl);
  await onServer(databaseUrl, `drop database if exists "${name}" with (force)`);
  await onServer(databaseUrl, `create database "${name}"`);
}

/**
 * A new, empty database on the server of `serverUrl` (any database URL of that server), named `<prefix>_<random>`.
 * Returns its URL and the function that drops it.
 */
export async function freshDatabase(serverUrl: string, prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await onServer(serverUrl, `create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  // `with (force)` ends the sessions that instances killed without a goodbye may have left behind.
  return { url: url.toString(), drop: () => onServer(serverUrl, `drop database if exists "${name}" with (force)`) };
}

export type Instance = { port: number; baseUrl: string; log: () => string };

export type Instances = { list: Instance[]; stop: () => Promise<void> };

type Started = Instance & { child: ChildProcess; exited: Promise<void> };

function startOne(port: number, env: NodeJS.ProcessEnv): Started {
  // Its own process group (detached), so that stopping it ends `scripts/start.ts` and the server it spawns.
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'scripts/start.ts'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...env, NODE_ENV: 'production', PORT: String(port) },
  });
  let log = '';
  const keep = (chunk: Buffer) => {
    // The tail is what explains a failure; a long run's whole log is not kept.
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { port, baseUrl: `http://127.0.0.1:${port}`, log: () => log, child, exited };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

async function stopAll(started: readonly Started[]): Promise<void> {
  for (const s of started) signalGroup(s.child, 'SIGTERM');
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 10_000).unref());
  if ((await Promise.race([Promise.all(started.map((s) => s.exited)), timeout])) === 'timeout') {
    for (const s of started) signalGroup(s.child, 'SIGKILL');
    await Promise.all(started.map((s) => s.exited));
  }
}

async function waitUntilUp(instance: Started, until: number): Promise<void> {
  while (Date.now() < until) {
    if (instance.child.exitCode !== null) throw new Error(`the instance on port ${instance.port} exited:\n${instance.log()}`);
    try {
      const response = await fetch(`${instance.baseUrl}/sign-in`, { redirect: 'manual' });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the instance on port ${instance.port} did not start in time:\n${instance.log()}`);
}

/**
 * Starts one production instance per port, all on `databaseUrl` with the same secrets, and waits until each answers.
 * They start together, as a deployment's do (the migrations take a lock, so one applies them). If any fails to
 * start, all are stopped before the error is thrown.
 */
export async function startInstances(opts: {
  ports: readonly number[];
  databaseUrl: string;
  secrets: SharedSecrets;
  env?: Record<string, string>;
  timeoutMs?: number;
}): Promise<Instances> {
  if (!hasBuild()) throw new Error('No production build: run `npx next build` first.');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zgoda-instances-'));
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env, ...opts.secrets, DATABASE_URL: opts.databaseUrl };
  // Each instance has a data directory of its own, as separate machines would: nothing one keeps on its disk can
  // stand in for what they must share through the database. Inside the run's directory, never in the worktree.
  const started = opts.ports.map((port) => startOne(port, { ...env, ZGODA_DATA_DIR: path.join(dataDir, String(port)) }));
  const stop = async () => {
    await stopAll(started);
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const until = Date.now() + (opts.timeoutMs ?? 90_000);
    await Promise.all(started.map((s) => waitUntilUp(s, until)));
  } catch (error) {
    await stop();
    throw error;
  }
  return { list: started.map(({ port, baseUrl, log }) => ({ port, baseUrl, log })), stop };
}

/** Migrates the database and seeds the demo users and `customers` demo customers, as `npm run db:seed` does for a demo. */
export async function seedDatabase(databaseUrl: string, secrets: SharedSecrets, customers: number): Promise<void> {
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'db/seed.ts'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    // The suppression key hashes what the seed suppresses: the instances' own.
    env: { ...process.env, ...secrets, DATABASE_URL: databaseUrl, SEED_CUSTOMERS: String(customers), ZGODA_DEMO: '1' },
  });
  let log = '';
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`seeding the database failed:\n${log}`);
}
