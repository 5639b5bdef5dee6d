// Starts Zgoda: applies migrations, seeds an empty demo database with demo data (never a real install), then serves
// the production build.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { defaultTarget } from '@/db';
import { withDb } from '@/db/script';
import { isEmpty, prepareDatabase, printDemoLogins } from '@/db/seed';
import { authSecret, missingSecretsMessage } from '@/lib/auth/secret';
import { hasActiveAdmin, isDemo } from '@/lib/setup/demo';

async function prepare(): Promise<void> {
  const refusal = missingSecretsMessage();
  if (refusal) {
    console.error(refusal);
    process.exit(1);
  }
  const target = defaultTarget();
  const embedded = 'pgliteDir' in target;
  const demo = isDemo();
  await withDb(async (handle) => {
    const seeded = await prepareDatabase(handle, { seedIfEmpty: demo, customers: Number(process.env.SEED_CUSTOMERS ?? 5000) });
    console.log(`Database ready (${embedded ? `embedded, ${target.pgliteDir}` : 'PostgreSQL'}${demo ? ', demo' : ''}).`);
    if (seeded || (demo && !(await isEmpty(handle.db)) && process.env.ZGODA_SHOW_DEMO_LOGINS !== '0')) printDemoLogins();
    else if (!(await hasActiveAdmin(handle.db)))
      console.log('No admin yet: create the first one with `npm run admin:create`, then sign in.');
  });
}

function serve(): void {
  const tsx = createRequire(import.meta.url).resolve('tsx/cli');
  const port = process.env.PORT ?? '3000';
  const child = spawn(process.execPath, [tsx, 'server.ts'], {
    stdio: 'inherit',
    // The server stops itself on SIGTERM and SIGINT once its job workers have handed back their jobs (instrumentation.ts).
    env: { ...process.env, NODE_ENV: 'production', PORT: port, AUTH_SECRET: authSecret(), NEXT_MANUAL_SIG_HANDLE: 'true' },
  });
  console.log(`Zgoda is starting on http://localhost:${port}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  void wakeUp(port);
}

/**
 * Next.js may run instrumentation.ts, which starts the job workers, at its first request rather than when it starts:
 * one request as soon as the server answers, so that an instance nobody visits yet works on the queue too.
 */
async function wakeUp(port: string): Promise<void> {
  for (let attempt = 0; attempt < 240; attempt++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  console.error('Zgoda did not answer on /api/health within two minutes: its job workers start at its first request.');
}

prepare()
  .then(() => {
    if (!process.argv.includes('--prepare-only')) serve();
  })
  .catch((error) => {
    console.error('Zgoda could not start:', error);
    process.exit(1);
  });
