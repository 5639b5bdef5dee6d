import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DbHandle } from '@/db';
import { createTestDb } from '@/db/testing';
import { sniffFile } from '@/lib/import/read';
import { PART_BYTES } from './bucket';
import { FileMissingError, FileTooLargeError } from './errors';
import { signRequest } from './sigv4';
import { removeFile, storeFile, storedFile } from './store';

const CREDENTIALS = { accessKeyId: 'ZGODATESTKEY', secretAccessKey: 'zgoda-test-secret', region: 'eu-central-1' };

/**
 * A small S3 on loopback, in memory: objects, multipart uploads, and the signature check of the real one (each request
 * signed again here from what arrived, and the body's hash compared with what was signed).
 */
function fakeS3() {
  const objects = new Map<string, Buffer>();
  const uploads = new Map<string, { key: string; parts: Map<number, Buffer> }>();
  const partSizes: number[] = [];
  const error = (res: http.ServerResponse, status: number, code: string) =>
    res.writeHead(status, { 'content-type': 'application/xml' }).end(`<Error><Code>${code}</Code></Error>`);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url!, `http://${req.headers.host}`);
      const amzDate = String(req.headers['x-amz-date']);
      const when = new Date(
        `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
      );
      const expected = signRequest(
        { method: req.method!, url, payloadHash: String(req.headers['x-amz-content-sha256']) },
        CREDENTIALS,
        when,
      );
      if (expected.authorization !== req.headers.authorization) return error(res, 403, 'SignatureDoesNotMatch');
      if (createHash('sha256').update(body).digest('hex') !== req.headers['x-amz-content-sha256'])
        return error(res, 400, 'XAmzContentSHA256Mismatch');
      const [, bucket, ...rest] = url.pathname.split('/');
      if (bucket !== 'zgoda-files') return error(res, 404, 'NoSuchBucket');
      const key = rest.map(decodeURIComponent).join('/');
      const uploadId = url.searchParams.get('uploadId');
      if (req.method === 'POST' && url.searchParams.has('uploads')) {
        const id = randomUUID();
        uploads.set(id, { key, parts: new Map() });
        return res.writeHead(200).end(`<InitiateMultipartUploadResult><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`);
      }
      if (uploadId) {
        const upload = uploads.get(uploadId);
        if (!upload) return error(res, 404, 'NoSuchUpload');
        if (req.method === 'PUT') {
          upload.parts.set(Number(url.searchParams.get('partNumber')), body);
          partSizes.push(body.length);
          return res.writeHead(200, { etag: `"${createHash('md5').update(body).digest('hex')}"` }).end();
        }
        if (req.method === 'DELETE') {
          uploads.delete(uploadId);
          return res.writeHead(204).end();
        }
        const listed = [...body.toString().matchAll(/<PartNumber>(\d+)<\/PartNumber><ETag>([^<]+)<\/ETag>/g)];
        const parts = listed.map(([, n, etag]) => {
          const part = upload.parts.get(Number(n));
          if (!part || `"${createHash('md5').update(part).digest('hex')}"` !== etag) throw new Error('bad part');
          return part;
        });
        objects.set(upload.key, Buffer.concat(parts));
        uploads.delete(uploadId);
        return res.writeHead(200).end('<CompleteMultipartUploadResult></CompleteMultipartUploadResult>');
      }
      if (req.method === 'PUT') {
        objects.set(key, body);
        return res.writeHead(200, { etag: '"x"' }).end();
      }
      if (req.method === 'GET') {
        const object = objects.get(key);
        return object ? res.writeHead(200).end(object) : error(res, 404, 'NoSuchKey');
      }
      if (req.method === 'DELETE') {
        objects.delete(key);
        return res.writeHead(204).end();
      }
      error(res, 405, 'MethodNotAllowed');
    });
  });
  return { server, objects, uploads, partSizes };
}

async function collect(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

function slices(bytes: Buffer, size: number): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
    })(),
  );
}

describe('file store in an S3 bucket', () => {
  const s3 = fakeS3();
  let h: DbHandle;
  let endpoint = '';
  const useBucket = (secret = CREDENTIALS.secretAccessKey) => {
    vi.stubEnv('FILES_S3_BUCKET', 'zgoda-files');
    vi.stubEnv('FILES_S3_ENDPOINT', endpoint);
    vi.stubEnv('FILES_S3_REGION', CREDENTIALS.region);
    vi.stubEnv('FILES_S3_ACCESS_KEY_ID', CREDENTIALS.accessKeyId);
    vi.stubEnv('FILES_S3_SECRET_ACCESS_KEY', secret);
  };
  beforeAll(async () => {
    await new Promise<void>((resolve) => s3.server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(s3.server.address() as AddressInfo).port}`;
    h = await createTestDb('pglite');
  });
  afterEach(() => vi.unstubAllEnvs());
  afterAll(async () => {
    await h?.close();
    await new Promise((resolve) => s3.server.close(resolve));
  });

  it('keeps a file of several parts byte for byte, as one object, no upload left open', async () => {
    useBucket();
    const bytes = Buffer.from('Łucja,żółć 😀\n'.repeat(1_100_000));
    expect(bytes.length).toBeGreaterThan(2 * PART_BYTES);
    const stored = await storeFile(h.db, slices(bytes, 65_537), 100 * PART_BYTES);
    expect(stored).toMatchObject({
      key: expect.stringMatching(/^s3:[0-9a-f-]{36}$/),
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    expect(s3.objects.get(`files/${stored.key.slice(3)}`)?.equals(bytes)).toBe(true);
    expect(s3.uploads.size).toBe(0);
    expect(s3.partSizes.slice(0, -1).every((size) => size === PART_BYTES)).toBe(true);
    expect((await collect(storedFile(h.db, stored.key).open())).equals(bytes)).toBe(true);
    await removeFile(h.db, stored.key);
    expect(s3.objects.size).toBe(0);
    await expect(collect(storedFile(h.db, stored.key).open())).rejects.toBeInstanceOf(FileMissingError);
  });

  it('keeps a small file in one request, and sniffs it from the bucket', async () => {
    useBucket();
    const stored = await storeFile(h.db, Readable.from([Buffer.from('email;market\nola@example.pl;PL\n')]), PART_BYTES);
    expect(await sniffFile(storedFile(h.db, stored.key))).toMatchObject({
      delimiter: ';',
      header: ['email', 'market'],
      preview: [['ola@example.pl', 'PL']],
    });
    await removeFile(h.db, stored.key);
  });

  it('refuses a file over the limit as it passes it, and aborts the upload: nothing left in the bucket', async () => {
    useBucket();
    const before = s3.partSizes.length;
    await expect(storeFile(h.db, slices(Buffer.alloc(6 * PART_BYTES, 'a,b\n'), 1 << 20), 2 * PART_BYTES + 1)).rejects.toBeInstanceOf(
      FileTooLargeError,
    );
    expect(s3.objects.size).toBe(0);
    expect(s3.uploads.size).toBe(0);
    expect(s3.partSizes.length - before).toBeLessThanOrEqual(2);
  });

  it('says what S3 refused, and keeps nothing', async () => {
    useBucket('not-the-secret');
    await expect(storeFile(h.db, Readable.from([Buffer.from('a,b\n1,2\n')]), PART_BYTES)).rejects.toThrow(
      'S3 upload failed: 403 SignatureDoesNotMatch',
    );
    expect(s3.objects.size).toBe(0);
  });

  it('still reads the files stored in the database before a bucket was configured', async () => {
    const stored = await storeFile(h.db, Readable.from([Buffer.from('a,b\n1,2\n')]), PART_BYTES);
    expect(stored.key).toMatch(/^db:/);
    useBucket();
    expect((await collect(storedFile(h.db, stored.key).open())).toString()).toBe('a,b\n1,2\n');
    await removeFile(h.db, stored.key);
  });
});
