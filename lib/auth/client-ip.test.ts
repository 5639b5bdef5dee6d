import { describe, expect, it } from 'vitest';
import { clientIp } from './client-ip';

describe('client IP for throttling', () => {
  it.each([
    ['no proxy: the socket address the server recorded', undefined, '83.24.117.5', '83.24.117.5'],
    ['no proxy: a forged list, the hop nearest to us', undefined, '1.2.3.4, 83.24.117.5', '83.24.117.5'],
    ['trusted proxy: the first hop', 'true', '83.24.117.5, 10.0.0.2', '83.24.117.5'],
    ['trusted proxy, IPv6 client', '1', '2a02:a311:4300::1, 10.0.0.2', '2a02:a311:4300::1'],
    ['TRUSTED_PROXY=false is not trusted', 'false', '83.24.117.5, 10.0.0.2', '10.0.0.2'],
    ['no header at all', 'true', null, 'unknown'],
    ['an endless forged value is cut', undefined, 'x'.repeat(500), 'x'.repeat(64)],
  ])('%s', (_case, trusted, header, ip) => {
    const headers = new Headers(header === null ? {} : { 'x-forwarded-for': header });
    expect(clientIp(headers, { TRUSTED_PROXY: trusted } as unknown as NodeJS.ProcessEnv)).toBe(ip);
  });
});
