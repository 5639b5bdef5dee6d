// Credentials kept in the database (the WhatsApp access token) are sealed with AES-256-GCM under a key from the
// environment, so a dump or a backup of the database alone does not hand them out.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { localSecret } from './secret';

const VERSION = 'v1';

/** SECRETS_KEY, or the embedded demo's own key in its data directory; any length, stretched to 32 bytes by HKDF. */
function key(material = localSecret('SECRETS_KEY', 'secrets-key')): Buffer {
  return Buffer.from(hkdfSync('sha256', material, 'zgoda', 'secret-box v1', 32));
}

/**
 * Seals `plain` for `purpose` (bound as additional data: a sealed token copied into another setting does not open).
 * The result is `v1.<iv>.<tag>.<ciphertext>`, base64url parts.
 */
export function seal(plain: string, purpose: string, material?: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(material), iv);
  cipher.setAAD(Buffer.from(purpose));
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), data].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

/** The plain text, or null when the box was sealed under another key or purpose, or was altered. */
export function open(sealed: string, purpose: string, material?: string): string | null {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || data === undefined) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key(material), Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(purpose));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
