// Runs once when a server instance starts: a production instance on PostgreSQL refuses to serve without its shared
// secrets; then the instance starts its workers for the background jobs, and stops them when it is told to stop.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { missingSecretsMessage } = await import('@/lib/auth/secret');
  const refusal = missingSecretsMessage();
  if (refusal) {
    console.error(refusal);
    process.exit(1);
  }
  const [{ getDbHandle }, { startJobs, stopJobs }] = await Promise.all([import('@/db'), import('@/lib/jobs/queue')]);
  await startJobs(await getDbHandle());
  // Next.js closes the server on these signals and then exits; the jobs running here go back to the queue meanwhile.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      stopJobs().catch((error: unknown) => console.error('job queue did not stop cleanly', error));
    });
  }
}
