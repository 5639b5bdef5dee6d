// The file store's database backend: a file as rows of 4 MiB pieces (file_chunks), written and read a piece at a
// time, so that neither an upload nor a read holds more than a piece or two in memory, on both drivers.
import { Readable } from 'node:stream';
import { count, eq, sql } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { copyBinaryRow } from '@/db/copy';
import { rowsOf } from '@/db/sql';
import { fileChunks } from '@/db/schema';
import { FileMissingError } from './errors';

// Each piece is a statement of its own (autocommitted, so that a slow upload holds no transaction open); at 1 MiB their
// round trips took twice the time of the bytes on a busy server, at 4 MiB a small part of it.
export const PIECE_BYTES = 4 << 20;

// Pieces written at once: on PostgreSQL each on a pooled connection of its own, so that one's round trips overlap
// another's bytes (PGlite runs them one after the other).
const IN_FLIGHT = 2;

/**
 * Writes the pieces as rows, while the next piece arrives; on any failure (the pieces' own included) removes the rows
 * written, and rethrows.
 */
export async function writeChunks(db: Queryable, name: string, pieces: (size: number) => AsyncIterable<Buffer>): Promise<void> {
  let seq = 0;
  const writing: Array<Promise<void>> = [];
  try {
    for await (const data of pieces(PIECE_BYTES)) {
      if (writing.length >= IN_FLIGHT) await writing.shift();
      const write = copyBinaryRow(db, 'file_chunks', ['file_key', 'seq', 'data'], [name, seq++, data]);
      // Awaited in turn or at the end; until then a failure must not count as unhandled.
      write.catch(() => {});
      writing.push(write);
    }
    await Promise.all(writing);
  } catch (error) {
    await Promise.allSettled(writing);
    await removeChunks(db, name);
    throw error;
  }
}

/**
 * The file's bytes, a piece fetched when the reader wants more (one piece ahead). The number of pieces is read first,
 * so that a file removed while it is read ends in an error, never in a shorter file.
 */
export function readChunks(q: Queryable, name: string, key: string): Readable {
  let seq = 0;
  let pieces: number | null = null;
  return new Readable({
    highWaterMark: PIECE_BYTES,
    read() {
      (async () => {
        if (pieces === null) {
          const [row] = await q.select({ n: count() }).from(fileChunks).where(eq(fileChunks.fileKey, name));
          pieces = row?.n ?? 0;
          if (pieces === 0) throw new FileMissingError(key);
        }
        if (seq === pieces) return this.push(null);
        // As base64 text: both drivers turn it into bytes natively and fast, where PGlite decodes bytea's hex in a loop.
        const [row] = rowsOf<{ data: string }>(
          await q.execute(sql`select encode(data, 'base64') as data from file_chunks where file_key = ${name} and seq = ${seq}`),
        );
        if (!row) throw new FileMissingError(key);
        seq++;
        this.push(Buffer.from(row.data, 'base64'));
      })().catch((error: unknown) => this.destroy(error as Error));
    },
  });
}

export async function removeChunks(db: Queryable, name: string): Promise<void> {
  await db.delete(fileChunks).where(eq(fileChunks.fileKey, name));
}
