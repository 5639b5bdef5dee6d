// What an RFC 8058 one-click unsubscribe request must carry.

// The body is one short field; anything longer is not a one-click request.
const MAX_BODY_BYTES = 4096;
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/** Whether the body says `List-Unsubscribe=One-Click`, form-encoded as RFC 8058 sends it (or multipart, which it allows). */
export async function isOneClickBody(request: Request): Promise<boolean> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!FORM_TYPES.includes(type)) return false;
  if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) return false;
  try {
    const form = await request.formData();
    return form.getAll('List-Unsubscribe').some((v) => typeof v === 'string' && v.trim() === 'One-Click');
  } catch {
    return false;
  }
}
