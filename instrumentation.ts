// Runs once when a server instance starts: a production instance on PostgreSQL refuses to serve without its shared
// secrets; then the instance starts its workers for the background jobs, and stops them when it is told to stop.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const [{ missingSecretsMessage }, { logger }] = await Promise.all([import('@/lib/auth/secret'), import('@/lib/log')]);
  const refusal = missingSecretsMessage();
  if (refusal) {
    logger.fatal(refusal);
    process.exit(1);
  }
  const [{ getDbHandle }, { startJobs, stopJobs }] = await Promise.all([import('@/db'), import('@/lib/jobs/workers')]);
  await startJobs(await getDbHandle());
  // Started by scripts/start.ts, the server leaves these signals to us (NEXT_MANUAL_SIG_HANDLE): the workers stop and
  // hand back the jobs running here, so that another instance takes them at once, then the process ends (their
  // transactions roll back with it). Under `next dev`, Next.js exits on its own meanwhile; an unfinished job then
  // comes back when it expires.
  const manual = process.env.NEXT_MANUAL_SIG_HANDLE === 'true';
  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const) {
    process.once(signal, () => {
      stopJobs()
        .catch((error: unknown) => logger.error({ err: error }, 'job queue did not stop cleanly'))
        .finally(() => {
          if (manual) process.exit(code);
        });
    });
  }
}
