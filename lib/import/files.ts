// Uploaded import files, kept on disk in the data directory between the dry run and the commit.
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Readable, Transform } from 'node:stream';
import { dataDir } from '@/db';
import { ImportFileError, MAX_FILE_BYTES } from './read';

export function importFilePath(batchId: number): string {
  return path.join(/*turbopackIgnore: true*/ dataDir(), 'imports', `${batchId}.csv`);
}

/** Where an upload is written before it has a batch: a name no other upload uses. */
export function uploadPath(): string {
  return path.join(/*turbopackIgnore: true*/ dataDir(), 'imports', `upload-${process.pid}-${Date.now()}-${randomBytes(6).toString('hex')}.csv`);
}

/**
 * Streams an upload to disk, hashing it on the way; refuses it as soon as it passes the size limit, and removes
 * what was written then.
 */
export async function saveUpload(body: ReadableStream<Uint8Array> | Readable, target: string, maxBytes = MAX_FILE_BYTES): Promise<{ size: number; sha256: string }> {
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > maxBytes) return done(new ImportFileError('too_large'));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const source = body instanceof Readable ? body : Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>);
  try {
    await pipeline(source, meter, fs.createWriteStream(target));
  } catch (error) {
    await fs.promises.rm(target, { force: true });
    throw error instanceof ImportFileError ? error : new ImportFileError('unreadable');
  }
  return { size, sha256: hash.digest('hex') };
}
