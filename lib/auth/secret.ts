// Secrets for the embedded default: taken from the environment, or generated once into the data directory.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { dataDir } from '@/db';

/** The value of `envName`, or a random secret kept in `<data dir>/<fileName>` (created by the first process to need it). */
export function localSecret(envName: string, fileName: string): string {
  const fromEnv = process.env[envName];
  if (fromEnv) return fromEnv;
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
