// The file store: files the app keeps between requests (an upload, read again by the dry run, the commit and the
// rejected rows' download), in the database or in an S3-compatible bucket, never on the disk of the instance that
// took them, so that any instance can read what another stored.
import fs from 'node:fs';
import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Queryable } from '@/db';
import type { BucketConfig } from './bucket';
import { bucketConfig, readObject, removeObject, writeObject } from './bucket';
import { readChunks, removeChunks, writeChunks } from './chunks';
import { FileMissingError, FileSourceError, FileTooLargeError } from './errors';

/** `key` names the file in the store, with its backend: `db:<uuid>` or `s3:<uuid>`. */
export type StoredFile = { key: string; size: number; sha256: string };

/**
 * A file to read, opened as a stream of its bytes as often as needed. `within`: the transaction the reading runs in,
 * if any (see storedFile).
 */
export type FileSource = { open: (within?: Queryable) => Readable };

/** The bucket when one is configured (FILES_S3_*); otherwise files go into the database. */
function bucket(): BucketConfig | null {
  return bucketConfig(process.env);
}

/**
 * The bytes of `source` in pieces of exactly `size` bytes (the last one shorter), at least one piece (perhaps empty),
 * counted against `maxBytes` and hashed as they pass. Only the piece being filled is held in memory.
 */
async function* pieces(
  source: AsyncIterable<Uint8Array>,
  size: number,
  maxBytes: number,
  meter: { size: number; hash: ReturnType<typeof createHash> },
): AsyncGenerator<Buffer> {
  let held: Buffer[] = [];
  let heldBytes = 0;
  let yielded = false;
  const iterator = source[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<Uint8Array>;
    try {
      next = await iterator.next();
    } catch (error) {
      throw new FileSourceError(error);
    }
    if (next.done) break;
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    meter.size += chunk.length;
    if (meter.size > maxBytes) {
      await iterator.return?.();
      throw new FileTooLargeError(maxBytes);
    }
    meter.hash.update(chunk);
    held.push(chunk);
    heldBytes += chunk.length;
    while (heldBytes >= size) {
      const all = held.length === 1 ? held[0]! : Buffer.concat(held, heldBytes);
      yield all.subarray(0, size);
      yielded = true;
      held = heldBytes > size ? [all.subarray(size)] : [];
      heldBytes -= size;
    }
  }
  if (heldBytes > 0 || !yielded) yield Buffer.concat(held, heldBytes);
}

/**
 * Stores a stream (an upload's body) and returns its key, size and SHA-256. Refuses it with FileTooLargeError as
 * soon as it passes `maxBytes`, and with FileSourceError when the stream breaks; either way, and on any failure of
 * the backend, nothing of it stays stored.
 */
export async function storeFile(db: Queryable, body: Readable | ReadableStream<Uint8Array>, maxBytes: number): Promise<StoredFile> {
  const source = body instanceof Readable ? body : Readable.fromWeb(body as WebReadableStream<Uint8Array>);
  const meter = { size: 0, hash: createHash('sha256') };
  const target = bucket();
  const name = randomUUID();
  try {
    if (target) {
      await writeObject(target, name, (size) => pieces(source, size, maxBytes, meter));
      return { key: `s3:${name}`, size: meter.size, sha256: meter.hash.digest('hex') };
    }
    await writeChunks(db, name, (size) => pieces(source, size, maxBytes, meter));
    return { key: `db:${name}`, size: meter.size, sha256: meter.hash.digest('hex') };
  } finally {
    // A refused upload's remaining bytes are not read; the stream must not hold the request open.
    if (!source.readableEnded) source.destroy();
  }
}

function parseKey(key: string): { backend: 'db' | 's3'; name: string } {
  const match = /^(db|s3):([0-9a-f-]{36})$/.exec(key);
  if (!match) throw new FileMissingError(key);
  return { backend: match[1] as 'db' | 's3', name: match[2]! };
}

function requireBucket(key: string): BucketConfig {
  const target = bucket();
  // Files stored in a bucket stay there when the bucket is no longer configured: say so rather than read nothing.
  if (!target) throw new Error(`stored file ${key} is in an S3 bucket, and none is configured (FILES_S3_BUCKET)`);
  return target;
}

/**
 * A stored file to read. Its key says where it is, whatever the store writes new files to now.
 *
 * The database backend reads through `db`, except inside a transaction of the embedded database (PGlite), which
 * serves nothing else until the transaction ends: there it reads through the transaction itself. On PostgreSQL the
 * pool reads, leaving the transaction's connection to its own work (the dry run loads rows while the file is read).
 */
export function storedFile(db: Queryable, key: string): FileSource {
  return {
    open: (within) => {
      const { backend, name } = parseKey(key);
      if (backend === 's3') return readObject(requireBucket(key), name, key);
      return readChunks(within && servesOneAtATime(within) ? within : db, name, key);
    },
  };
}

/** A file on this instance's disk: the files of batches uploaded before the store, and files in tests and benchmarks. */
export function diskFile(path: string): FileSource {
  return { open: () => fs.createReadStream(path, { highWaterMark: 1 << 20 }) };
}

export async function removeFile(db: Queryable, key: string): Promise<void> {
  const { backend, name } = parseKey(key);
  if (backend === 's3') await removeObject(requireBucket(key), name);
  else await removeChunks(db, name);
}

/** PGlite's client (and its transactions) runs one query at a time; postgres.js's has a pool behind it. */
function servesOneAtATime(q: Queryable): boolean {
  return !('unsafe' in (q as unknown as { session: { client: object } }).session.client);
}
