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

function field(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N';
  const text = value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** One line of COPY's text format. */
export function copyLine(values: readonly CopyValue[]): string {
  return values.map(field).join('\t') + '\n';
}

/** Loads rows (each an array in `columns` order) into a table with COPY. */
export async function copyRows(q: Queryable, table: string, columns: readonly string[], rows: readonly (readonly CopyValue[])[]): Promise<void> {
  if (rows.length === 0) return;
  const client = rawClient(q);
  const statement = `copy ${table} (${columns.map((c) => `"${c}"`).join(', ')}) from `;
  if ('unsafe' in client) {
    const target = await client.unsafe(`${statement}stdin`).writable();
    await pipeline(Readable.from(chunks(rows)), target);
  } else {
    await client.query(`${statement}'/dev/blob'`, [], { blob: new Blob([...chunks(rows)]) });
  }
}

function* chunks(rows: readonly (readonly CopyValue[])[]): Generator<string> {
  let buffer = '';
  for (const row of rows) {
    buffer += copyLine(row);
    if (buffer.length > 1 << 16) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}
