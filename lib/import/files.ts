// Uploaded import files, kept in the file store (lib/files) from the upload through the dry run and the commit, and
// after it for the rejected rows' download.
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Queryable } from '@/db';
import { dataDir } from '@/db';
import { FileSourceError, FileTooLargeError } from '@/lib/files/errors';
import type { FileSource, StoredFile } from '@/lib/files/store';
import { diskFile, removeFile, storeFile, storedFile } from '@/lib/files/store';
import { ImportFileError, MAX_FILE_BYTES } from './read';

/** Stores an upload; a file over the limit, or one that stops arriving, is an ImportFileError and leaves nothing stored. */
export async function saveUpload(
  db: Queryable,
  body: ReadableStream<Uint8Array> | Readable,
  maxBytes = MAX_FILE_BYTES,
): Promise<StoredFile> {
  try {
    return await storeFile(db, body, maxBytes);
  } catch (error) {
    if (error instanceof FileTooLargeError) throw new ImportFileError('too_large');
    if (error instanceof FileSourceError) throw new ImportFileError('unreadable');
    throw error;
  }
}

/** Where a batch uploaded before the file store keeps its file: on the disk of the instance that took it. */
function legacyPath(batchId: number): string {
  return path.join(/*turbopackIgnore: true*/ dataDir(), 'imports', `${batchId}.csv`);
}

/** The file of a batch: in the store, or on disk for a batch uploaded before the store. */
export function importFile(db: Queryable, batch: { id: number; fileKey: string | null }): FileSource {
  return batch.fileKey ? storedFile(db, batch.fileKey) : diskFile(legacyPath(batch.id));
}

export async function removeImportFile(db: Queryable, batch: { id: number; fileKey: string | null }): Promise<void> {
  if (batch.fileKey) await removeFile(db, batch.fileKey);
  else await fs.promises.rm(legacyPath(batch.id), { force: true });
}
