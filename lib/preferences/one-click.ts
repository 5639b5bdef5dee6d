// What an RFC 8058 one-click unsubscribe request must carry.

// The body is one short field; anything longer is not a one-click request, and is not read further.
const MAX_BODY_BYTES = 4096;
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/** The body, or null once it passes the limit (whatever Content-Length claims, or when it is sent in chunks). */
async function boundedBody(request: Request): Promise<Uint8Array<ArrayBuffer> | null> {
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}

/** Whether the body says `List-Unsubscribe=One-Click`, form-encoded as RFC 8058 sends it (or multipart, which it allows). */
export async function isOneClickBody(request: Request): Promise<boolean> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!FORM_TYPES.includes(contentType.split(';')[0]!.trim().toLowerCase())) return false;
  try {
    const body = await boundedBody(request);
    if (!body) return false;
    const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
    return form.getAll('List-Unsubscribe').some((v) => typeof v === 'string' && v.trim() === 'One-Click');
  } catch {
    return false;
  }
}
