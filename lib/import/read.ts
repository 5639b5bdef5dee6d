// Streaming a customer file from disk: sniffing its format, then its records one by one, never the whole file in memory.
import fs from 'node:fs';
import { Transform } from 'node:stream';
import { parse } from 'csv-parse';
import type { Delimiter, Encoding } from './sniff';
import { detectDelimiter, detectEncoding, notCsv } from './sniff';

export const MAX_FILE_BYTES = 250 * 1024 * 1024;
const SAMPLE_BYTES = 64 * 1024;

export type FileProblem = 'empty' | 'spreadsheet' | 'binary' | 'too_large' | 'header_only' | 'malformed' | 'unreadable';

/** A file that cannot be imported at all; `row` and `line` point at the place where reading stopped. */
export class ImportFileError extends Error {
  constructor(
    readonly problem: FileProblem,
    readonly row?: number,
    readonly line?: number,
  ) {
    super(`import file: ${problem}${row ? ` at row ${row}, line ${line}` : ''}`);
  }
}

export type CsvFormat = { encoding: Encoding; delimiter: Delimiter };
export type FileSniff = CsvFormat & { header: string[]; preview: string[][] };

async function readSample(path: string): Promise<{ sample: Uint8Array; size: number }> {
  const handle = await fs.promises.open(path, 'r');
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.alloc(Math.min(SAMPLE_BYTES, size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return { sample: buffer.subarray(0, bytesRead), size };
  } finally {
    await handle.close();
  }
}

/** What the file is: refuses non-CSV files and files over the limit, detects encoding and delimiter, reads the header. */
export async function sniffFile(path: string, override: Partial<CsvFormat> = {}): Promise<FileSniff> {
  const { sample, size } = await readSample(path);
  if (size > MAX_FILE_BYTES) throw new ImportFileError('too_large');
  const problem = notCsv(sample);
  if (problem) throw new ImportFileError(problem);
  const encoding = override.encoding ?? detectEncoding(sample, size > sample.length);
  const delimiter = override.delimiter ?? detectDelimiter(new TextDecoder(encoding).decode(sample));
  const records: string[][] = [];
  for await (const { record } of readRecords(path, { encoding, delimiter }, { header: true, limit: 6 })) records.push(record);
  const [header, ...preview] = records;
  if (!header || header.every((h) => !h.trim())) throw new ImportFileError('empty');
  if (preview.length === 0) throw new ImportFileError('header_only');
  return { encoding, delimiter, header: header.map((h) => h.trim().replace(/^\uFEFF/, '')), preview };
}

function decoder(encoding: Encoding): Transform {
  const text = new TextDecoder(encoding);
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      done(null, text.decode(chunk, { stream: true }));
    },
    flush(done) {
      done(null, text.decode());
    },
  });
}

export type FileRecord = { rowNo: number; line: number; record: string[] };

/**
 * The records of the file in order; with `header` the first record is the header (row 0), the data rows count from 1.
 * Malformed quoting stops the reading with an ImportFileError naming the row and line.
 */
export async function* readRecords(
  path: string,
  format: CsvFormat,
  options: { header?: boolean; limit?: number } = {},
): AsyncGenerator<FileRecord> {
  const parser = parse({
    delimiter: format.delimiter,
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
    to_line: undefined,
  });
  const source = fs.createReadStream(path, { highWaterMark: 1 << 20 });
  source.on('error', (error) => parser.destroy(error));
  source.pipe(decoder(format.encoding)).pipe(parser);
  let rowNo = options.header === false ? 1 : 0;
  let count = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { rowNo, line: info.lines, record };
      rowNo++;
      if (options.limit && ++count >= options.limit) break;
    }
  } catch (error) {
    const info = error as { code?: string; lines?: number; records?: number };
    if (info.code?.startsWith('CSV_')) throw new ImportFileError('malformed', (info.records ?? rowNo) + (options.header === false ? 1 : 0), info.lines);
    throw new ImportFileError('unreadable');
  } finally {
    source.destroy();
    parser.destroy();
  }
}
