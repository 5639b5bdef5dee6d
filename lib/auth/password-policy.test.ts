import { describe, expect, it } from 'vitest';
import { passwordProblem } from './password-policy';

const me = ['zofia.lewandowska@sklep-ola.pl', 'Zofia Lewandowska'];

describe('new password rules', () => {
  it.each([
    ['a long passphrase', 'Rower nad Wisła o świcie', null],
    ['exactly 12 mixed characters', 'k7#Vq2!mZp9x', null],
    ['11 characters', 'k7#Vq2!mZp9', 'too_short'],
    ['more than 256 characters', 'a1'.repeat(129), 'too_long'],
    ['a breach-list favourite', 'Password1234', 'too_common'],
    ['the Polish favourite', 'haslo1234567', 'too_common'],
    ['the demo password', 'zgoda-demo-2026', 'too_common'],
    ['one character repeated', 'aaaaaaaaaaaaaa', 'too_common'],
    ['two characters alternating', 'abababababab', 'too_common'],
    ['the e-mail local part with digits', 'zofia.lewandowska2026', 'too_common'],
    ['the name with symbols', 'Zofia Lewandowska!!', 'too_common'],
  ])('%s', (_case, password, problem) => {
    expect(passwordProblem(password, password, me)).toBe(problem);
  });

  it('names a mismatch only once the password itself is fine', () => {
    expect(passwordProblem('Rower nad Wisłą o świcie', 'Rower nad Wisla o swicie', me)).toBe('mismatch');
    expect(passwordProblem('short', 'other', me)).toBe('too_short');
  });
});
