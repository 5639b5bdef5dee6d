// Reads a request body once, up to a limit, so an oversized POST is refused before anything parses it.

export const MAX_WEBHOOK_BYTES = 1024 * 1024;

export type BodyResult = { ok: true; bytes: Uint8Array } | { ok: false; tooLarge: true };

export async function readLimitedBody(request: Request, limit = MAX_WEBHOOK_BYTES): Promise<BodyResult> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) return { ok: false, tooLarge: true };
  if (!request.body) return { ok: true, bytes: new Uint8Array() };
  // HTTP framing holds a body to the length it declares (Meta always declares it): read it whole, in one go.
  if (request.headers.has('content-length')) {
    const bytes = new Uint8Array(await request.arrayBuffer());
    return bytes.byteLength > limit ? { ok: false, tooLarge: true } : { ok: true, bytes };
  }
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return { ok: false, tooLarge: true };
    }
    chunks.push(value);
  }
  return { ok: true, bytes: Buffer.concat(chunks) };
}
