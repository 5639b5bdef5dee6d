import { describe, expect, it } from 'vitest';
import { maskEmail, maskPhone } from './mask';

describe('masked contact data', () => {
  it.each([
    ['anna.kowalska@gmail.com', 'a•••a@g•••.com'],
    ['jo@web.de', 'j•••@w•••.de'],
    ['x@example.co.uk', 'x•••@e•••.uk'],
    ['no-at-sign', '•••'],
  ])('e-mail %s -> %s', (email, masked) => {
    expect(maskEmail(email)).toBe(masked);
  });

  it.each([
    ['+4915112345678', 11],
    ['+48600123456', 9],
  ])('phone %s keeps only its last two digits', (phone, hidden) => {
    const masked = maskPhone(phone);
    expect(masked.startsWith('+')).toBe(true);
    expect(masked.endsWith(phone.slice(-2))).toBe(true);
    expect(masked.replace(/[^•]/g, '')).toHaveLength(hidden);
    expect(masked.replace(/\D/g, '')).toBe(phone.slice(-2));
  });
});
