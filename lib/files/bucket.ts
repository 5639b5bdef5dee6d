// The file store's S3 backend, for any S3-compatible bucket (AWS, MinIO, Cloudflare R2, ...), addressed path-style:
// small files in one PUT, larger ones as a multipart upload of 8 MiB parts, one part in flight while the next arrives.
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { FileMissingError } from './errors';
import type { Credentials } from './sigv4';
import { EMPTY_SHA256, sha256Hex, signRequest } from './sigv4';

export type BucketConfig = Credentials & { endpoint: URL; bucket: string; prefix: string };

// S3 takes parts of 5 MiB and more (but the last); a little more means fewer requests.
export const PART_BYTES = 8 << 20;

/** The bucket from FILES_S3_*, or null when FILES_S3_BUCKET is not set. */
export function bucketConfig(env: Readonly<Record<string, string | undefined>>): BucketConfig | null {
  const bucket = env.FILES_S3_BUCKET?.trim();
  if (!bucket) return null;
  const accessKeyId = env.FILES_S3_ACCESS_KEY_ID?.trim();
  const secretAccessKey = env.FILES_S3_SECRET_ACCESS_KEY?.trim();
  if (!accessKeyId || !secretAccessKey)
    throw new Error('FILES_S3_BUCKET is set: FILES_S3_ACCESS_KEY_ID and FILES_S3_SECRET_ACCESS_KEY must be set too.');
  const region = env.FILES_S3_REGION?.trim() || 'us-east-1';
  const endpoint = new URL(env.FILES_S3_ENDPOINT?.trim() || `https://s3.${region}.amazonaws.com`);
  return { bucket, accessKeyId, secretAccessKey, region, endpoint, prefix: env.FILES_S3_PREFIX ?? 'files/' };
}

function objectUrl(config: BucketConfig, name: string, query: Record<string, string> = {}): URL {
  const url = new URL(config.endpoint);
  const base = url.pathname.replace(/\/+$/, '');
  url.pathname = `${base}/${encodeURIComponent(config.bucket)}/${`${config.prefix}${name}`.split('/').map(encodeURIComponent).join('/')}`;
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url;
}

async function send(config: BucketConfig, method: string, url: URL, body?: Buffer | string): Promise<Response> {
  const payloadHash = body === undefined ? EMPTY_SHA256 : sha256Hex(body);
  const headers = signRequest({ method, url, payloadHash }, config);
  // A Buffer is a Uint8Array, which fetch sends as it is.
  return fetch(url, {
    method,
    headers,
    body:
      typeof body === 'string' || body === undefined ? body : new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength),
  });
}

/** The response when it succeeded; an error naming the operation and S3's own code otherwise. */
async function ok(response: Response, what: string): Promise<Response> {
  if (response.ok) return response;
  const body = await response.text().catch(() => '');
  const code = /<Code>([^<]+)<\/Code>/.exec(body)?.[1] ?? '';
  throw new Error(`S3 ${what} failed: ${response.status} ${code}`.trim());
}

/** Writes the pieces as one object; on any failure leaves no object and no unfinished upload behind, and rethrows. */
export async function writeObject(config: BucketConfig, name: string, pieces: (size: number) => AsyncIterable<Buffer>): Promise<void> {
  const iterator = pieces(PART_BYTES)[Symbol.asyncIterator]();
  const first = await iterator.next();
  const head = first.done ? Buffer.alloc(0) : first.value;
  if (head.length < PART_BYTES) {
    await ok(await send(config, 'PUT', objectUrl(config, name), head), 'upload');
    return;
  }
  const created = await ok(await send(config, 'POST', objectUrl(config, name, { uploads: '' })), 'starting an upload');
  const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(await created.text())?.[1];
  if (!uploadId) throw new Error('S3 starting an upload failed: no UploadId in the answer');
  const etags: string[] = [];
  let writing: Promise<unknown> = Promise.resolve();
  const upload = (part: Buffer, number: number) =>
    (async () => {
      const response = await ok(
        await send(config, 'PUT', objectUrl(config, name, { partNumber: String(number), uploadId }), part),
        `uploading part ${number}`,
      );
      etags[number - 1] = response.headers.get('etag') ?? '';
    })();
  let number = 1;
  try {
    writing = upload(head, number);
    writing.catch(() => {});
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      await writing;
      writing = upload(next.value, ++number);
      // Awaited before the next part or at the end; until then a failure must not count as unhandled.
      writing.catch(() => {});
    }
    await writing;
    const parts = etags
      .map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${etag.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</ETag></Part>`)
      .join('');
    const done = await ok(
      await send(config, 'POST', objectUrl(config, name, { uploadId }), `<CompleteMultipartUpload>${parts}</CompleteMultipartUpload>`),
      'completing an upload',
    );
    // S3 may answer 200 and still fail the completion, in the body.
    const answer = await done.text();
    if (answer.includes('<Error>'))
      throw new Error(`S3 completing an upload failed: ${/<Code>([^<]+)<\/Code>/.exec(answer)?.[1] ?? 'error'}`);
  } catch (error) {
    await writing.catch(() => {});
    await send(config, 'DELETE', objectUrl(config, name, { uploadId })).catch(() => {});
    throw error;
  }
}

/** The object's bytes as they arrive. */
export function readObject(config: BucketConfig, name: string, key: string): Readable {
  const out = new PassThrough();
  (async () => {
    const response = await send(config, 'GET', objectUrl(config, name));
    if (response.status === 404) throw new FileMissingError(key);
    await ok(response, 'reading a file');
    if (!response.body) throw new FileMissingError(key);
    await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), out);
  })().catch((error: unknown) => out.destroy(error as Error));
  return out;
}

export async function removeObject(config: BucketConfig, name: string): Promise<void> {
  const response = await send(config, 'DELETE', objectUrl(config, name));
  if (response.status !== 404) await ok(response, 'removing a file');
}
