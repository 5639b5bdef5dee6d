// Runs once when a server instance starts: a production instance on PostgreSQL refuses to serve without its shared secrets.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { missingSecretsMessage } = await import('@/lib/auth/secret');
  const refusal = missingSecretsMessage();
  if (refusal) {
    console.error(refusal);
    process.exit(1);
  }
}
