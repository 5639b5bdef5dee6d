// Runs once when a server instance starts: a production instance on PostgreSQL refuses to serve without its shared secrets.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const [{ missingSecretsMessage }, { logger }] = await Promise.all([import('@/lib/auth/secret'), import('@/lib/log')]);
  const refusal = missingSecretsMessage();
  if (refusal) {
    logger.fatal(refusal);
    process.exit(1);
  }
}
