// Streaming a customer file from the file store: sniffing its format, then its records one by one, never the whole
// file in memory.
import { Readable, Transform } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import type { FileSource } from '@/lib/files/store';
import type { Delimiter, Encoding } from './sniff';
import { detectDelimiter, detectEncoding, notCsv } from './sniff';

export const MAX_FILE_BYTES = 250 * 1024 * 1024;
const SAMPLE_BYTES = 64 * 1024;

export type FileProblem = 'empty' | 'spreadsheet' | 'binary' | 'too_large' | 'header_only' | 'malformed' | 'unreadable';

// A row longer than this is a quote that never closes swallowing the rest of the file, not a customer.
export const MAX_RECORD_CHARS = 1_000_000;
// A row with more fields than this is a wrong delimiter or a broken file, not a customer (shop exports have dozens).
export const MAX_COLUMNS = 500;
// csv-parse counts only the characters of fields against MAX_RECORD_CHARS, not the delimiters between them: a line of
// nothing but delimiters would grow one record without end. No readable record has more delimiters on one line than
// this (those outside quotes part at most MAX_COLUMNS fields, those inside count as characters).
const MAX_LINE_DELIMITERS = MAX_COLUMNS + MAX_RECORD_CHARS;

/** Where a malformed file stops being readable, and how: csv-parse's error code names the kind of breakage. */
export type Malformation = {
  /**
   * csv-parse's code: INVALID_OPENING_QUOTE, CSV_INVALID_CLOSING_QUOTE, CSV_QUOTE_NOT_CLOSED, CSV_MAX_RECORD_SIZE, ...;
   * or the reader's own TOO_MANY_COLUMNS (more than MAX_COLUMNS fields).
   */
  code: string;
  /** The line the broken row starts on (`line` is where reading stopped, which a quote that never closes puts far on). */
  startLine: number;
  /** Reading quotes inside fields as text would get past it. */
  quoting: boolean;
};

// Stray quotes in the middle of a field, the only breakage a lenient read (csv-parse's relax_quotes) gets past.
const QUOTING_CODES = new Set(['INVALID_OPENING_QUOTE', 'CSV_INVALID_CLOSING_QUOTE']);

/** A file that cannot be imported at all; `row` and `line` point at the place where reading stopped. */
export class ImportFileError extends Error {
  constructor(
    readonly problem: FileProblem,
    readonly row?: number,
    readonly line?: number,
    readonly malformation?: Malformation,
  ) {
    super(`import file: ${problem}${row ? ` at row ${row}, line ${line}${malformation ? ` (${malformation.code})` : ''}` : ''}`);
  }
}

/** `relaxQuotes`: the lenient read, chosen by the user, which takes quotes inside a field as text. */
export type CsvFormat = { encoding: Encoding; delimiter: Delimiter; relaxQuotes?: boolean };
export type FileSniff = CsvFormat & { header: string[]; preview: string[][] };

/** The first SAMPLE_BYTES of the file, and whether more follow; the rest is not read. */
async function readSample(file: FileSource): Promise<{ sample: Uint8Array; more: boolean }> {
  const parts: Buffer[] = [];
  let length = 0;
  // Leaving the loop early closes the stream.
  for await (const chunk of file.open()) {
    parts.push(chunk as Buffer);
    length += (chunk as Buffer).length;
    if (length > SAMPLE_BYTES) break;
  }
  const all = Buffer.concat(parts, length);
  return { sample: all.subarray(0, SAMPLE_BYTES), more: length > SAMPLE_BYTES };
}

/**
 * What the file is: refuses non-CSV files, detects encoding and delimiter, reads the header. (Files over the size limit
 * never get this far: the store refuses them as they arrive.)
 */
export async function sniffFile(file: FileSource, override: Partial<CsvFormat> = {}): Promise<FileSniff> {
  const { sample, more } = await readSample(file);
  const problem = notCsv(sample);
  if (problem) throw new ImportFileError(problem);
  const encoding = override.encoding ?? detectEncoding(sample, more);
  const delimiter = override.delimiter ?? detectDelimiter(new TextDecoder(encoding).decode(sample));
  const records: string[][] = [];
  for await (const { record } of readRecords(file, { encoding, delimiter, relaxQuotes: override.relaxQuotes }, { header: true, limit: 6 }))
    records.push(record);
  const [header, ...preview] = records;
  if (!header || header.every((h) => !h.trim())) throw new ImportFileError('empty');
  if (preview.length === 0) throw new ImportFileError('header_only');
  const relaxQuotes = override.relaxQuotes ? { relaxQuotes: true } : {};
  return { encoding, delimiter, ...relaxQuotes, header: header.map((h) => h.trim().replace(/^\uFEFF/, '')), preview };
}

/**
 * Decodes the bytes, and stops the text after a line with more than MAX_LINE_DELIMITERS delimiters: the parser then
 * ends on that record, which is refused for its columns, instead of growing it for the rest of the file.
 */
function decoder(encoding: Encoding, delimiter: string, onStop: () => void): Transform {
  const text = new TextDecoder(encoding);
  const mark = delimiter.charCodeAt(0);
  let onLine = 0;
  let stopped = false;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (stopped) return done();
      const decoded = text.decode(chunk, { stream: true });
      for (let i = 0; i < decoded.length; i++) {
        const c = decoded.charCodeAt(i);
        if (c === 10) onLine = 0;
        else if (c === mark && ++onLine > MAX_LINE_DELIMITERS) {
          stopped = true;
          this.push(decoded.slice(0, i));
          this.push(null);
          onStop();
          return done();
        }
      }
      done(null, decoded);
    },
    flush(done) {
      done(null, stopped ? undefined : text.decode());
    },
  });
}

function columnsError(rowNo: number, startLine: number): ImportFileError {
  return new ImportFileError('malformed', rowNo, startLine, { code: 'TOO_MANY_COLUMNS', startLine, quoting: false });
}

/** `strayQuote`: in a lenient read, the field of the record a strict read would have stopped at. */
export type FileRecord = { rowNo: number; line: number; record: string[]; strayQuote?: number };

/** The field at which a strict read of one raw record stops, or undefined when it reads strictly. */
function strictStop(raw: string, delimiter: Delimiter): number | undefined {
  if (!raw.includes('"')) return undefined;
  try {
    parseSync(raw, { delimiter, relax_column_count: true });
    return undefined;
  } catch (error) {
    return error instanceof CsvError && typeof error.column === 'number' ? error.column : 0;
  }
}

/** The line breaks (LF, alone or after CR) inside a record's quoted fields, so that line numbers stay true. */
function breaksIn(record: readonly string[]): number {
  let breaks = 0;
  for (const field of record) {
    for (let i = field.indexOf('\n'); i >= 0; i = field.indexOf('\n', i + 1)) breaks++;
  }
  return breaks;
}

/**
 * The records of the file (a file to open, or a stream of its bytes) in order; with `header` the first record is the header
 * (row 0), the data rows count from 1. `line` is the line a record ends on. Malformed quoting, a record over
 * MAX_RECORD_CHARS characters or over MAX_COLUMNS fields stops the reading with an ImportFileError naming the row and
 * line, as soon as the parser gets there: memory stays bounded whatever the file holds. Records are taken from the
 * parser as they come, many per chunk, and lines counted here: csv-parse's record info costs more than the parsing
 * itself over a million rows.
 */
export async function* readRecords(
  input: FileSource | Readable,
  format: CsvFormat,
  options: { header?: boolean; limit?: number } = {},
): AsyncGenerator<FileRecord> {
  // Empty (or blank) lines come through as one field, to be counted as lines and skipped here.
  const lenient = format.relaxQuotes === true;
  // A lenient read keeps each record's raw text, to name the rows whose quotes it let through.
  const parser = parse({
    delimiter: format.delimiter,
    bom: true,
    relax_column_count: true,
    skip_empty_lines: false,
    max_record_size: MAX_RECORD_CHARS,
    relax_quotes: lenient,
    raw: lenient,
  });
  const source = input instanceof Readable ? input : input.open();
  let cut = false;
  source.on('error', (error: Error) => parser.destroy(error));
  source
    .pipe(
      decoder(format.encoding, format.delimiter, () => {
        cut = true;
        source.unpipe();
        source.destroy();
      }),
    )
    .pipe(parser);
  let ended = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const signal = () => {
    wake?.();
    wake = null;
  };
  parser.on('readable', signal);
  parser.on('end', () => {
    ended = true;
    signal();
  });
  parser.on('error', (error) => {
    failure = error;
    signal();
  });
  let rowNo = options.header === false ? 1 : 0;
  let count = 0;
  let line = 0;
  try {
    for (;;) {
      let next: string[] | { record: string[]; raw: string } | null;
      while ((next = parser.read() as string[] | { record: string[]; raw: string } | null) !== null) {
        const record = lenient ? (next as { record: string[] }).record : (next as string[]);
        const breaks = breaksIn(record);
        line += 1 + breaks;
        if (record.length > MAX_COLUMNS) throw columnsError(rowNo, line - breaks);
        if (record.length === 1 && record[0]!.trim() === '') continue;
        const strayQuote = lenient ? strictStop((next as { raw: string }).raw, format.delimiter) : undefined;
        yield strayQuote === undefined ? { rowNo, line, record } : { rowNo, line, record, strayQuote };
        rowNo++;
        if (options.limit && ++count >= options.limit) return;
      }
      if (failure) throw failure;
      if (ended) {
        // The text was cut after an endless line: the record it ends on is refused above, and a file must never pass
        // as read whole when it was not.
        if (cut) throw columnsError(rowNo, line + 1);
        return;
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    // Any error of the parser is the file's shape, whatever its code (csv-parse 7 dropped the CSV_ prefix of some). The
    // record that failed is the one after the last read (empty lines, which csv-parse counts as records, are not rows).
    if (error instanceof CsvError) {
      const stopped = typeof error.lines === 'number' && error.lines > 0 ? error.lines : line + 1;
      throw new ImportFileError('malformed', rowNo, stopped, {
        code: error.code,
        startLine: Math.min(line + 1, stopped),
        quoting: QUOTING_CODES.has(error.code),
      });
    }
    throw new ImportFileError('unreadable');
  } finally {
    source.destroy();
    parser.destroy();
  }
}
