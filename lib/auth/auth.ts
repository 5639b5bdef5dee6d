// next-auth configuration: e-mail and password, JWT sessions that carry the user's id, role and session version.
import NextAuth, { CredentialsSignin } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { headers } from 'next/headers';
import { getDb } from '@/db';
import { servedOverTls } from '@/lib/http/forwarded';
import { logger } from '@/lib/log';
import { clientIp } from './client-ip';
import { checkCredentials } from './credentials';
import type { Role } from './roles';
import { authSecret } from './secret';

export class ThrottledSignIn extends CredentialsSignin {
  code = 'throttled';
}

export const { handlers, auth, signIn, signOut } = NextAuth(async (request) => ({
  secret: authSecret(),
  // Served by server.ts on the seller's own host; the host header is the only URL we have.
  trustHost: true,
  // next-auth would take https from X-Forwarded-Proto whoever sent it. Secure cookies (named __Secure-) follow the
  // same rule as HSTS instead: a trusted proxy says the browser came over TLS, or AUTH_URL is https. Route handlers
  // hand over their request; auth(), signIn() and signOut() in pages and actions have the request's headers.
  useSecureCookies: servedOverTls(request?.headers ?? (await headers())),
  session: { strategy: 'jwt', maxAge: 12 * 60 * 60 },
  pages: { signIn: '/sign-in' },
  logger: {
    error(error) {
      // A wrong password or a throttled attempt is an everyday refusal, not a fault of the server: one line, no stack.
      if ((error as { type?: unknown }).type === 'CredentialsSignin') {
        logger.warn(`[auth] sign-in refused (${(error as CredentialsSignin).code})`);
        return;
      }
      logger.error({ err: error }, '[auth][error]');
    },
  },
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(credentials, request) {
        const result = await checkCredentials(await getDb(), credentials, { ip: clientIp(request.headers) });
        if (result.ok) {
          const { id, email, name, role, sessionVersion } = result.user;
          return { id: String(id), email, name, role, sessionVersion };
        }
        if (result.reason === 'throttled') throw new ThrottledSignIn();
        return null;
      },
    }),
  ],
  callbacks: {
    // `user` is there only at sign-in: the session version read then stays in the token for its whole life, and
    // currentUser() compares it with the user's row on every request.
    jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
        token.role = (user as { role?: Role }).role;
        token.sv = (user as { sessionVersion?: number }).sessionVersion;
      }
      return token;
    },
    session({ session, token }) {
      if (typeof token.uid === 'string') session.user.id = token.uid;
      return { ...session, sessionVersion: typeof token.sv === 'number' ? token.sv : null };
    },
  },
}));
