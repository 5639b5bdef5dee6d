// Export of an approved draft as JSONL, one Cloud API send body per recipient eligible now. A POST: it records a
// campaign and moves the draft to exported, so it is refused from other sites.
import { getTranslations } from 'next-intl/server';
import { getDb } from '@/db';
import { requireRole } from '@/lib/auth/session';
import { startExport } from '@/lib/messages/export';
import { parseDraftId } from '@/lib/messages/input';

function sameOrigin(request: Request): boolean {
  const origin = request.headers.get('origin');
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  if (!origin || !host) return request.headers.get('sec-fetch-site') === 'same-origin';
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await requireRole('admin', 'seller');
  const id = parseDraftId((await params).id);
  const t = await getTranslations('messages');
  if (!sameOrigin(request)) return new Response(t('errors.invalid'), { status: 403 });
  if (!id) return new Response(t('refusals.not_found'), { status: 404 });
  try {
    const started = await startExport(await getDb(), id, user);
    if (!started.ok) {
      return new Response(t(`refusals.${started.refusal}`), { status: started.refusal === 'not_found' ? 404 : 409, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
    }
    return new Response(started.stream, {
      headers: {
        'Content-Type': 'application/jsonl; charset=utf-8',
        'Content-Disposition': `attachment; filename="${started.fileName}"`,
        'Cache-Control': 'no-store',
        'X-Recipient-Count': String(started.recipientCount),
      },
    });
  } catch (error) {
    console.error('export failed', error);
    return new Response((await getTranslations('errors'))('genericText'), { status: 500 });
  }
}
