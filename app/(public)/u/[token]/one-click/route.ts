// RFC 8058 one-click unsubscribe: the mail client posts `List-Unsubscribe=One-Click` to the address in the message's
// List-Unsubscribe header, and e-mail marketing is withdrawn at once. proxy.ts sends a POST to /u/<token> here (the
// page at that address answers GETs). No cookie, no CSRF token, no page in between: the signed token in the address is
// the whole proof, as the RFC intends, and it can only ever withdraw.
import { getDb } from '@/db';
import { clientIp } from '@/lib/auth/client-ip';
import { rateLimit } from '@/lib/http/rate-limit';
import { requestLogger } from '@/lib/log';
import { UNSUBSCRIBES_PER_MINUTE, unsubscribeEmail } from '@/lib/preferences/centre';
import { readCustomerLink } from '@/lib/preferences/links';
import { isOneClickBody } from '@/lib/preferences/one-click';
import { PREFERENCES_NAMESPACE } from '@/lib/preferences/wording';
import { publicTranslator } from '@/lib/public/i18n';
import { publicLocale } from '@/lib/public/locale';

function text(body: string, status: number, headers: Record<string, string> = {}): Response {
  return new Response(`${body}\n`, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
  });
}

export async function POST(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const locale = publicLocale(null, request.headers.get('accept-language'));
  const [t, common] = await Promise.all([publicTranslator(locale, PREFERENCES_NAMESPACE), publicTranslator(locale, 'public')]);
  const ip = clientIp(request.headers);
  const limited = rateLimit('unsubscribe', ip, { limit: UNSUBSCRIBES_PER_MINUTE, windowSeconds: 60 });
  if (!limited.ok) return text(common('rateLimited'), 429, { 'Retry-After': String(limited.retryAfterSeconds) });
  const link = readCustomerLink(token, 'unsubscribe');
  if (!link.ok) return text(common('linkInvalid'), 400);
  if (!(await isOneClickBody(request))) return text('The body must be List-Unsubscribe=One-Click (RFC 8058).', 400);
  try {
    const result = await unsubscribeEmail(await getDb(), link.customerId, {
      ip,
      userAgent: request.headers.get('user-agent'),
      via: 'one_click',
    });
    if (!result.ok) return text(common('linkInvalid'), 404);
    return text(result.changed ? t('unsubscribe.done') : t('unsubscribe.already'), 200);
  } catch (error) {
    (await requestLogger()).error({ err: error }, 'one-click unsubscribe failed');
    return text(t('unsubscribe.failed'), 500);
  }
}
