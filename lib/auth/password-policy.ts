// What a new password must be: long enough, not one of the passwords every guessing list starts with, and not
// made of the user's own e-mail or name. Length does most of the work (NIST SP 800-63B); the list catches the rest.
import { MIN_PASSWORD_LENGTH } from './password';

export const MAX_PASSWORD_LENGTH = 256;

export type PasswordProblem = 'too_short' | 'too_long' | 'too_common' | 'mismatch' | 'same_as_current';

// Passwords of 12 characters or more that lead published breach lists, lower-cased, plus the demo password.
const COMMON = new Set([
  '123456789012',
  '1234567890123',
  '12345678901234',
  '123456123456',
  '123123123123',
  '111111111111',
  '000000000000',
  '121212121212',
  '987654321098',
  '1q2w3e4r5t6y',
  '1qaz2wsx3edc',
  'qwertyuiopas',
  'qwertyuiop12',
  'qwerty123456',
  'qwertyqwerty',
  'asdfghjkl123',
  'zaq12wsxcde3',
  'password1234',
  'password123!',
  'passwordpassword',
  'password12345',
  'iloveyou1234',
  'abcdefghijkl',
  'abc123abc123',
  'abcd1234abcd',
  'letmein12345',
  'welcome12345',
  'welcome123!!',
  'administrator',
  'admin1234567',
  'adminadmin12',
  'changeme1234',
  'trustno11234',
  'football1234',
  'baseball1234',
  'princess1234',
  'sunshine1234',
  'superman1234',
  'monkey123456',
  'dragon123456',
  'starwars1234',
  'qazwsxedcrfv',
  'haslo1234567',
  'haslo123haslo',
  'zaq1@wsx3edc',
  'polska123456',
  'passwort1234',
  'hallo1234567',
  'motdepasse12',
  'azertyuiop12',
  'azerty123456',
  'bonjour12345',
  'soleil123456',
  'zgoda-demo-2026',
  'correcthorsebatterystaple',
]);

function tooCommon(password: string, personal: readonly string[]): boolean {
  const p = password.toLowerCase();
  if (COMMON.has(p)) return true;
  // A dozen of one or two characters (aaaaaaaaaaaa, abababababab) is no password.
  if (new Set(p).size <= 2) return true;
  // The e-mail, its local part or the name, alone or with digits and symbols around it.
  const bare = p.replace(/[^\p{L}]/gu, '');
  return personal.some((word) => {
    const w = word.toLowerCase().replace(/[^\p{L}]/gu, '');
    return w.length >= 3 && bare === w;
  });
}

/** The first problem of a new password, or null. `personal` holds the user's e-mail and name. */
export function passwordProblem(password: string, confirmation: string, personal: readonly string[]): PasswordProblem | null {
  if (password.length < MIN_PASSWORD_LENGTH) return 'too_short';
  if (password.length > MAX_PASSWORD_LENGTH) return 'too_long';
  if (tooCommon(password, [...personal, ...personal.map((p) => p.split('@')[0] ?? '')])) return 'too_common';
  if (password !== confirmation) return 'mismatch';
  return null;
}
