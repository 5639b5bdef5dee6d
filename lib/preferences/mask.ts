// Contact data as the customer's own pages show it: enough for the customer to recognise, too little to be of use to
// anyone who finds a forwarded link.

const DOT = '•';

/** `anna.kowalska@gmail.com` -> `a•••a@g•••.com`: the first letters and the top-level domain. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return DOT.repeat(3);
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const tld = dot > 0 ? domain.slice(dot) : '';
  const host = dot > 0 ? domain.slice(0, dot) : domain;
  // A short local part keeps only its first letter: its last one would give away half of it.
  const maskedLocal = local.length > 3 ? `${local[0]}${DOT.repeat(3)}${local.at(-1)}` : `${local[0]}${DOT.repeat(3)}`;
  return `${maskedLocal}@${host[0] ?? ''}${DOT.repeat(3)}${tld}`;
}

/** `+48600123456` -> `+••• ••• ••• 56`: the last two digits, every other digit hidden, the length kept. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 4) return DOT.repeat(3);
  const hidden = DOT.repeat(digits.length - 2);
  const grouped = hidden.replace(/(.{3})(?=.)/g, '$1 ');
  return `${phone.trim().startsWith('+') ? '+' : ''}${grouped} ${digits.slice(-2)}`;
}
