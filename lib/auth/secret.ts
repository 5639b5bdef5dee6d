// Secrets: taken from the environment; the embedded demo generates them once into the data directory instead.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { dataDir } from '@/db';

/** The secrets an installation on PostgreSQL must be given, with what each one guards. */
export const REQUIRED_SECRETS = [
  { name: 'AUTH_SECRET', guards: 'signs sessions; every instance must share it' },
  {
    name: 'SUPPRESSION_KEY',
    guards: 'keys the hashes of suppressed phones and e-mails; every instance must share it, and it must never change',
  },
  {
    name: 'SECRETS_KEY',
    guards: 'encrypts the credentials stored in the database (the WhatsApp access token); every instance must share it',
  },
  {
    name: 'PUBLIC_LINK_SECRET',
    guards:
      'signs the links customers open (confirmation, preferences, unsubscribe); every instance must share it, and a new one voids every link sent',
  },
] as const;

/**
 * A production install on PostgreSQL (several instances may share the database) must not generate secrets per
 * data directory: two instances would sign sessions and hash suppressed contact points with different keys.
 * Returns the message to stop with, or null when the environment is safe.
 */
export function missingSecretsMessage(env: NodeJS.ProcessEnv = process.env): string | null {
  if (!env.DATABASE_URL || env.NODE_ENV !== 'production') return null;
  const missing = REQUIRED_SECRETS.filter((s) => !env[s.name]?.trim());
  if (missing.length === 0) return null;
  return [
    `Zgoda will not start in production on PostgreSQL without ${missing.map((s) => s.name).join(' and ')}:`,
    ...missing.map((s) => `  ${s.name} ${s.guards}.`),
    'Make one with `openssl rand -base64 32` (or `node -e "console.log(crypto.randomBytes(32).toString(\'base64url\'))"`),',
    'set it in the environment of every instance, and keep it with your backups.',
  ].join('\n');
}

/** The value of `envName`, or a random secret kept in `<data dir>/<fileName>` (created by the first process to need it). */
export function localSecret(envName: string, fileName: string): string {
  const fromEnv = process.env[envName];
  if (fromEnv) return fromEnv;
  const refusal = missingSecretsMessage();
  if (refusal) throw new Error(refusal);
  const file = path.join(/*turbopackIgnore: true*/ dataDir(), fileName);
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const secret = randomBytes(32).toString('base64url');
    try {
      // 'wx' fails if another process created it first; then that one's secret is the one to use.
      fs.writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
      return secret;
    } catch {
      return fs.readFileSync(file, 'utf8').trim();
    }
  }
}

/** The session signing secret: AUTH_SECRET or `.data/auth-secret`. */
export function authSecret(): string {
  return localSecret('AUTH_SECRET', 'auth-secret');
}
