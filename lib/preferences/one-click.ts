// What an RFC 8058 one-click unsubscribe request must carry.
import { readLimitedBody } from '@/lib/whatsapp/body';

// The body is one short field; anything longer is not a one-click request, and is not read further.
const MAX_BODY_BYTES = 4096;
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/** Whether the body says `List-Unsubscribe=One-Click`, form-encoded as RFC 8058 sends it (or multipart, which it allows). */
export async function isOneClickBody(request: Request): Promise<boolean> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!FORM_TYPES.includes(contentType.split(';')[0]!.trim().toLowerCase())) return false;
  try {
    const body = await readLimitedBody(request, MAX_BODY_BYTES);
    if (!body.ok) return false;
    const form = await new Response(new Uint8Array(body.bytes), { headers: { 'content-type': contentType } }).formData();
    return form.getAll('List-Unsubscribe').some((v) => typeof v === 'string' && v.trim() === 'One-Click');
  } catch {
    return false;
  }
}
