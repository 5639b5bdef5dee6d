// Bulk loading with COPY on both drivers: postgres.js streams to COPY FROM STDIN, PGlite reads a blob.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Queryable } from './index';

export type CopyValue = string | number | boolean | null | undefined | Date | object;

// The raw client under a Drizzle database or transaction: a postgres.js Sql or a PGlite (transaction).
type RawClient =
  | { unsafe: (query: string) => { writable: () => Promise<NodeJS.WritableStream> } }
  | { query: (query: string, params: unknown[], options: { blob: Blob }) => Promise<unknown> };

function rawClient(q: Queryable): RawClient {
  return (q as unknown as { session: { client: RawClient } }).session.client;
}

const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;
const ESCAPED: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function field(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number') return String(value);
  const text =
    typeof value === 'string'
      ? value
      : value instanceof Date
        ? value.toISOString()
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
  // Most values need no escaping: test before replacing.
  return SPECIAL.test(text) ? text.replace(SPECIALS, (c) => ESCAPED[c]!) : text;
}

/** One line of COPY's text format. */
export function copyLine(values: readonly CopyValue[]): string {
  // join makes one flat string; concatenating field by field would build a rope to be flattened later.
  return values.map(field).join('\t') + '\n';
}

/** Loads rows (each an array in `columns` order) into a table with COPY. */
export async function copyRows(
  q: Queryable,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly CopyValue[])[],
): Promise<void> {
  const text = new CopyText();
  for (const row of rows) text.add(row);
  await copyText(q, table, columns, text.take());
}

/** Rows gathered as COPY text, in pieces of a few hundred lines joined flat, until taken. */
export class CopyText {
  private parts: string[] = [];
  private pending: string[] = [];
  lines = 0;

  add(values: readonly CopyValue[]): void {
    this.pending.push(copyLine(values));
    this.lines++;
    if (this.pending.length >= 512) {
      this.parts.push(this.pending.join(''));
      this.pending = [];
    }
  }

  /** The text so far, and a fresh start. */
  take(): string[] {
    const parts = this.pending.length > 0 ? [...this.parts, this.pending.join('')] : this.parts;
    this.parts = [];
    this.pending = [];
    this.lines = 0;
    return parts;
  }
}

/**
 * Loads text already in COPY's format (lines from copyLine) into a table. The text is complete before the COPY
 * starts, so the connection sends it while the caller goes on with other work.
 */
export async function copyText(q: Queryable, table: string, columns: readonly string[], parts: readonly string[]): Promise<void> {
  if (parts.length === 0) return;
  await copyIn(q, `copy ${table} (${columns.map((c) => `"${c}"`).join(', ')}) from `, '', parts);
}

// COPY's binary format: the signature, no flags, no header extension; each tuple its field count, then each field
// its length and bytes; -1 to end.
const BINARY_HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
const BINARY_TRAILER = Buffer.from([0xff, 0xff]);

/** One field of a binary COPY tuple: text as UTF-8, a number as int4, bytes as they are. */
function binaryField(value: string | number | Uint8Array): Buffer[] {
  const bytes = typeof value === 'string' ? Buffer.from(value) : typeof value === 'number' ? Buffer.alloc(4) : value;
  if (typeof value === 'number') (bytes as Buffer).writeInt32BE(value);
  const length = Buffer.alloc(4);
  length.writeInt32BE(bytes.length);
  return [length, bytes as Buffer];
}

/**
 * Loads one row in COPY's binary format, its fields given as they are stored (text, int4, bytea): bytes go in without
 * being spelt out as hex, which a parameter or COPY's text format would take.
 */
export async function copyBinaryRow(
  q: Queryable,
  table: string,
  columns: readonly string[],
  values: ReadonlyArray<string | number | Uint8Array>,
): Promise<void> {
  const count = Buffer.alloc(2);
  count.writeInt16BE(values.length);
  const parts = [BINARY_HEADER, count, ...values.flatMap(binaryField), BINARY_TRAILER];
  await copyIn(q, `copy ${table} (${columns.map((c) => `"${c}"`).join(', ')}) from `, ' (format binary)', parts);
}

async function copyIn(q: Queryable, statement: string, options: string, parts: ReadonlyArray<string | Uint8Array>): Promise<void> {
  const client = rawClient(q);
  if ('unsafe' in client) {
    const target = await client.unsafe(`${statement}stdin${options}`).writable();
    await pipeline(Readable.from(parts), target);
  } else {
    await client.query(`${statement}'/dev/blob'${options}`, [], { blob: new Blob(parts as BlobPart[]) });
  }
}
