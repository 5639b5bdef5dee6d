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
        SECRETS_KEY: secret,
      },
      missing: null,
    },
    {
      case: 'no AUTH_SECRET',
      env: {
        DATABASE_URL: 'postgres://db/zgoda',
        NODE_ENV: 'production',
        SUPPRESSION_KEY: secret,
        PUBLIC_LINK_SECRET: secret,
        SECRETS_KEY: secret,
      },
      missing: ['AUTH_SECRET'],
    },
    {
      case: 'no SUPPRESSION_KEY',
      env: {
        DATABASE_URL: 'postgres://db/zgoda',
        NODE_ENV: 'production',
        AUTH_SECRET: secret,
        PUBLIC_LINK_SECRET: secret,
        SECRETS_KEY: secret,
      },
      missing: ['SUPPRESSION_KEY'],
    },
    {
      case: 'no PUBLIC_LINK_SECRET',
      env: {
        DATABASE_URL: 'postgres://db/zgoda',
        NODE_ENV: 'production',
        AUTH_SECRET: secret,
        SUPPRESSION_KEY: secret,
        SECRETS_KEY: secret,
      },
      missing: ['PUBLIC_LINK_SECRET'],
    },
    {
      case: 'no SECRETS_KEY',
      env: {
        DATABASE_URL: 'postgres://db/zgoda',
        NODE_ENV: 'production',
        AUTH_SECRET: secret,
        SUPPRESSION_KEY: secret,
        PUBLIC_LINK_SECRET: secret,
      },
      missing: ['SECRETS_KEY'],
    },
    {
      case: 'blank values',
      env: {
        DATABASE_URL: 'postgres://db/zgoda',
        NODE_ENV: 'production',
        AUTH_SECRET: ' ',
        SUPPRESSION_KEY: '',
        PUBLIC_LINK_SECRET: '\t',
        SECRETS_KEY: '',
      },
      missing: ['AUTH_SECRET', 'SUPPRESSION_KEY', 'PUBLIC_LINK_SECRET', 'SECRETS_KEY'],
    },
  ])('$case', ({ env, missing }) => {
    const message = missingSecretsMessage(env as NodeJS.ProcessEnv);
    if (!missing) return expect(message).toBeNull();
    for (const name of ['AUTH_SECRET', 'SUPPRESSION_KEY', 'PUBLIC_LINK_SECRET', 'SECRETS_KEY']) {
      if (missing.includes(name)) expect(message).toContain(`  ${name} `);
      else expect(message).not.toContain(`  ${name} `);
    }
    expect(message).toContain('openssl rand -base64 32');
  });
});
