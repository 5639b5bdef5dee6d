// The draft as the JSON body of WhatsApp Cloud API's "create message template" call.
import { getDb } from '@/db';
import { requireSection } from '@/lib/auth/session';
import { parseDraftId } from '@/lib/messages/input';
import { getDraft, templateOf } from '@/lib/messages/store';
import { templateCreateBody } from '@/lib/whatsapp/cloud-api';

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  await requireSection('messages');
  const id = parseDraftId((await params).id);
  const draft = id ? await getDraft(await getDb(), id) : null;
  if (!draft) return new Response('Not found', { status: 404 });
  return new Response(`${JSON.stringify(templateCreateBody(templateOf(draft)), null, 2)}\n`, {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="${draft.name}.template.json"`,
      'Cache-Control': 'no-store',
    },
  });
}
