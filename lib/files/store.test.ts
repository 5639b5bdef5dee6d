import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db';
import { fileChunks } from '@/db/schema';
import { createTestDb, testDrivers } from '@/db/testing';
import { readRecords, sniffFile } from '@/lib/import/read';
import { PIECE_BYTES } from './chunks';
import { FileMissingError, FileSourceError, FileTooLargeError } from './errors';
import { removeFile, storeFile, storedFile } from './store';

async function collect(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

/** The bytes as a stream of slices of `size`, which cut characters too; `pulled` counts what the reader took. */
function slices(bytes: Buffer, size: number, counter = { pulled: 0 }): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < bytes.length; i += size) {
        const slice = bytes.subarray(i, i + size);
        counter.pulled += slice.length;
        yield slice;
      }
    })(),
  );
}

const isContinuation = (byte: number | undefined) => byte !== undefined && (byte & 0xc0) === 0x80;

/**
 * A CSV file of a few MiB of two-, three- and four-byte characters, shifted until the first piece boundary falls inside
 * a character (and so, by its make-up, do others).
 */
function multibyteCsv(rows: number): { bytes: Buffer; notes: string[] } {
  const notes = Array.from({ length: rows }, (_, i) => `Łucja ${i} żółć €${i % 97} 😀${'ę'.repeat(i % 13)}`);
  for (let pad = 0; ; pad++) {
    const bytes = Buffer.from(`name${'x'.repeat(pad)},note\n${notes.map((n, i) => `n${i},${n}\n`).join('')}`);
    if (isContinuation(bytes[PIECE_BYTES])) return { bytes, notes };
  }
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe.each(testDrivers())('file store in the database on %s', (driver) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await createTestDb(driver);
  });
  afterAll(async () => h?.close());

  const rowCount = () => h.db.$count(fileChunks);

  it('keeps a multi-MiB file byte for byte, in pieces whose edges cut characters', async () => {
    const { bytes } = multibyteCsv(220_000);
    expect(bytes.length).toBeGreaterThan(2 * PIECE_BYTES);
    const cut = [1, 2].filter((k) => isContinuation(bytes[k * PIECE_BYTES]));
    expect(cut).toContain(1);
    const before = await rowCount();
    const stored = await storeFile(h.db, slices(bytes, 65_537), 100 * PIECE_BYTES);
    expect(await rowCount()).toBe(before + Math.ceil(bytes.length / PIECE_BYTES));
    expect(stored).toMatchObject({ key: expect.stringMatching(/^db:[0-9a-f-]{36}$/), size: bytes.length, sha256: sha256(bytes) });
    const back = await collect(storedFile(h.db, stored.key).open());
    expect(back.length).toBe(bytes.length);
    expect(back.equals(bytes)).toBe(true);
    await removeFile(h.db, stored.key);
  });

  it('sniffs and reads a stored file whole: every record, its characters intact across the pieces', async () => {
    const { bytes, notes } = multibyteCsv(110_000);
    expect(bytes.length).toBeGreaterThan(PIECE_BYTES);
    const stored = await storeFile(h.db, slices(bytes, 100_003), 100 * PIECE_BYTES);
    const file = storedFile(h.db, stored.key);
    const sniff = await sniffFile(file);
    expect(sniff).toMatchObject({
      encoding: 'utf-8',
      delimiter: ',',
      header: [expect.stringMatching(/^namex*$/), 'note'],
      preview: [
        ['n0', notes[0]],
        ['n1', notes[1]],
        ['n2', notes[2]],
        ['n3', notes[3]],
        ['n4', notes[4]],
      ],
    });
    let rows = 0;
    let wrong = 0;
    for await (const { rowNo, record } of readRecords(file, sniff, { header: true })) {
      if (rowNo === 0) continue;
      rows++;
      if (record[1] !== notes[rowNo - 1]) wrong++;
    }
    expect({ rows, wrong }).toEqual({ rows: notes.length, wrong: 0 });
    await removeFile(h.db, stored.key);
  });

  it('refuses a file as soon as it passes the limit, and keeps nothing of it', async () => {
    const before = await rowCount();
    const limit = 2 * PIECE_BYTES + 10;
    const counter = { pulled: 0 };
    const big = Buffer.alloc(8 * PIECE_BYTES, 'a,b\n');
    await expect(storeFile(h.db, slices(big, 64 * 1024, counter), limit)).rejects.toBeInstanceOf(FileTooLargeError);
    expect(await rowCount()).toBe(before);
    // Read no further than the limit and what the stream had buffered ahead.
    expect(counter.pulled).toBeLessThan(limit + 2 * PIECE_BYTES);
  });

  it('keeps nothing of a file that stops arriving half-way', async () => {
    const before = await rowCount();
    const broken = Readable.from(
      (function* () {
        for (let i = 0; i < 3; i++) yield Buffer.alloc(PIECE_BYTES, 'x');
        throw new Error('connection reset');
      })(),
    );
    await expect(storeFile(h.db, broken, 100 * PIECE_BYTES)).rejects.toBeInstanceOf(FileSourceError);
    expect(await rowCount()).toBe(before);
  });

  it('keeps an empty file as empty', async () => {
    const stored = await storeFile(h.db, Readable.from([]), PIECE_BYTES);
    expect(stored.size).toBe(0);
    expect((await collect(storedFile(h.db, stored.key).open())).length).toBe(0);
    await removeFile(h.db, stored.key);
  });

  it('removes a file: reading it then fails, as does reading a key never stored', async () => {
    const before = await rowCount();
    const stored = await storeFile(h.db, Readable.from([Buffer.alloc(PIECE_BYTES + 5, 'z')]), 10 * PIECE_BYTES);
    expect(await rowCount()).toBe(before + 2);
    await removeFile(h.db, stored.key);
    expect(await rowCount()).toBe(before);
    await expect(collect(storedFile(h.db, stored.key).open())).rejects.toBeInstanceOf(FileMissingError);
    await expect(collect(storedFile(h.db, 'db:00000000-0000-0000-0000-000000000000').open())).rejects.toBeInstanceOf(FileMissingError);
    expect(() => storedFile(h.db, '../../etc/passwd').open()).toThrow(FileMissingError);
  });

  it('reads inside a transaction (on PGlite through the transaction, which holds the only connection)', async () => {
    const bytes = Buffer.alloc(2 * PIECE_BYTES + 1, 'ą');
    const stored = await storeFile(h.db, Readable.from([bytes]), 10 * PIECE_BYTES);
    const back = await h.db.transaction(async (tx) => collect(storedFile(h.db, stored.key).open(tx)));
    expect(back.equals(bytes)).toBe(true);
    await removeFile(h.db, stored.key);
  });
});
