import { describe, expect, it } from 'vitest';
import { missingSecretsMessage } from './secret';

const secret = 'x'.repeat(43);

describe('missingSecretsMessage', () => {
  it.each([
    { case: 'embedded demo', env: { NODE_ENV: 'production' }, missing: null },
    { case: 'PostgreSQL in development', env: { DATABASE_URL: 'postgres://db/zgoda', NODE_ENV: 'development' }, missing: null },
    {
      case: 'PostgreSQL in production, both set',
      env: {
        DATABASE_URL: 'postgres://db/zgoda',
        NODE_ENV: 'production',
        AUTH_SECRET: secret,
        SUPPRESSION_KEY: secret,
        PUBLIC_LINK_SECRET: secret,
      },
      missing: null,
    },
    {
      case: 'no AUTH_SECRET',
      env: { DATABASE_URL: 'postgres://db/zgoda', NODE_ENV: 'production', SUPPRESSION_KEY: secret, PUBLIC_LINK_SECRET: secret },
      missing: ['AUTH_SECRET'],
    },
    {
      case: 'no SUPPRESSION_KEY',
      env: { DATABASE_URL: 'postgres://db/zgoda', NODE_ENV: 'production', AUTH_SECRET: secret, PUBLIC_LINK_SECRET: secret },
      missing: ['SUPPRESSION_KEY'],
    },
    {
      case: 'no PUBLIC_LINK_SECRET',
      env: { DATABASE_URL: 'postgres://db/zgoda', NODE_ENV: 'production', AUTH_SECRET: secret, SUPPRESSION_KEY: secret },
      missing: ['PUBLIC_LINK_SECRET'],
    },
    {
      case: 'blank values',
      env: { DATABASE_URL: 'postgres://db/zgoda', NODE_ENV: 'production', AUTH_SECRET: ' ', SUPPRESSION_KEY: '', PUBLIC_LINK_SECRET: '\t' },
      missing: ['AUTH_SECRET', 'SUPPRESSION_KEY', 'PUBLIC_LINK_SECRET'],
    },
  ])('$case', ({ env, missing }) => {
    const message = missingSecretsMessage(env as NodeJS.ProcessEnv);
    if (!missing) return expect(message).toBeNull();
    for (const name of ['AUTH_SECRET', 'SUPPRESSION_KEY', 'PUBLIC_LINK_SECRET']) {
      if (missing.includes(name)) expect(message).toContain(`  ${name} `);
      else expect(message).not.toContain(`  ${name} `);
    }
    expect(message).toContain('openssl rand -base64 32');
  });
});
