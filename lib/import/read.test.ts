import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { FileRecord } from './read';
import { diskFile } from '@/lib/files/store';
import { ImportFileError, MAX_COLUMNS, MAX_RECORD_CHARS, readRecords } from './read';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zgoda-read-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
async function read(
  text: string | Buffer,
  options: { header?: boolean; limit?: number } = { header: true },
  delimiter: ',' | ';' = ',',
  relaxQuotes = false,
): Promise<FileRecord[]> {
  const file = path.join(dir, `f${++n}.csv`);
  fs.writeFileSync(file, text);
  const out: FileRecord[] = [];
  for await (const r of readRecords(diskFile(file), { encoding: 'utf-8', delimiter, relaxQuotes }, options)) out.push(r);
  return out;
}

// Each case: the file, and per record its row, the line it ends on, and its fields.
const CASES: Array<[name: string, text: string, expected: Array<[row: number, line: number, record: string[]]>]> = [
  [
    'LF',
    'a,b\n1,2\n3,4\n',
    [
      [0, 1, ['a', 'b']],
      [1, 2, ['1', '2']],
      [2, 3, ['3', '4']],
    ],
  ],
  [
    'CRLF, no final break',
    'a,b\r\n1,2\r\n3,4',
    [
      [0, 1, ['a', 'b']],
      [1, 2, ['1', '2']],
      [2, 3, ['3', '4']],
    ],
  ],
  [
    'a quoted line break',
    'a,b\n"x\ny",1\n2,3\n',
    [
      [0, 1, ['a', 'b']],
      [1, 3, ['x\ny', '1']],
      [2, 4, ['2', '3']],
    ],
  ],
  [
    'a quoted CRLF counts as one line',
    'a,b\r\n"x\r\ny",1\r\n2,3\r\n',
    [
      [0, 1, ['a', 'b']],
      [1, 3, ['x\r\ny', '1']],
      [2, 4, ['2', '3']],
    ],
  ],
  [
    'empty lines are skipped but counted',
    'a,b\n\n1,2\n\r\n\n3,4\n',
    [
      [0, 1, ['a', 'b']],
      [1, 3, ['1', '2']],
      [2, 6, ['3', '4']],
    ],
  ],
  [
    'quoted delimiters and quotes',
    'a,b\n"Nowak, Jr.","say ""hi"""\n',
    [
      [0, 1, ['a', 'b']],
      [1, 2, ['Nowak, Jr.', 'say "hi"']],
    ],
  ],
  [
    'a short row is kept',
    'a,b,c\n1\n',
    [
      [0, 1, ['a', 'b', 'c']],
      [1, 2, ['1']],
    ],
  ],
  [
    'a byte order mark is dropped',
    '\uFEFFa,b\n1,2\n',
    [
      [0, 1, ['a', 'b']],
      [1, 2, ['1', '2']],
    ],
  ],
];

describe('readRecords', () => {
  it.each(CASES)('%s', async (_name, text, expected) => {
    const records = await read(text);
    expect(records.map((r) => [r.rowNo, r.line, r.record])).toEqual(expected);
  });

  it('reads semicolons when told to', async () => {
    expect((await read('a;b\n1;2\n', { header: true }, ';')).map((r) => r.record)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('numbers rows from 1 without a header, and stops at a limit', async () => {
    expect((await read('1,2\n3,4\n5,6\n', { header: false, limit: 2 })).map((r) => [r.rowNo, r.line])).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });

  it.each([
    ['an unclosed quote', 'a,b\n1,2\n"x,3\n4,5\n', 2, 4],
    ['a quote inside an unquoted field', 'a,b\n1,2\n"x"y,3\n', 2, 3],
    ['an unclosed quote after an empty line', 'a,b\n\n1,2\n"x,3\n', 2, 4],
  ])('names the row and line of %s', async (_name, text, row, line) => {
    const error = await read(text).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportFileError);
    expect(error).toMatchObject({ problem: 'malformed', row, line });
  });

  it('reads a large file in order, with the last line right', async () => {
    const rows = Array.from({ length: 30_000 }, (_, i) => (i % 1000 === 7 ? `"multi\nline ${i}",${i}` : `name ${i},${i}`));
    const records = await read(['name,n', ...rows].join('\n') + '\n');
    expect(records).toHaveLength(30_001);
    expect(records.at(-1)).toMatchObject({ rowNo: 30_000, line: 30_001 + 30, record: ['name 29999', '29999'] });
  });

  // Every way a user's file can break csv-parse 7 with the options the import reads with: the row that broke, the line
  // reading stopped on, the line the row starts on, and whether reading quotes as text would get past it. (Inconsistent
  // field counts are allowed, and trimming, column names and the other option errors are never set by the import.)
  const endless = `a,b\n1,2\n${'x'.repeat(MAX_RECORD_CHARS + 1)},3\n`;
  const wide = (columns: number) => Array.from({ length: columns }, (_, i) => `c${i}`).join(',');
  it.each([
    [
      'INVALID_OPENING_QUOTE',
      'an unquoted formula with quotes (Shopify)',
      'id,note\n1,ok\n2,=HYPERLINK("http://evil.example")\n',
      2,
      3,
      3,
      true,
    ],
    ['INVALID_OPENING_QUOTE', 'a quote in the middle of a name', 'id,name\n1,Anna "Ania" Nowak\n', 1, 2, 2, true],
    ['INVALID_OPENING_QUOTE', 'a quote in the header', 'id,e"mail"\n1,a@example.pl\n', 0, 1, 1, true],
    ['CSV_INVALID_CLOSING_QUOTE', 'text after a closing quote', 'id,name\n1,"Anna" Nowak\n', 1, 2, 2, true],
    ['CSV_INVALID_CLOSING_QUOTE', 'a space after a closing quote', 'id,name,market\n1,"Nowak" ,PL\n', 1, 2, 2, true],
    [
      'CSV_INVALID_CLOSING_QUOTE',
      'a semicolon file read with quotes around a field and text after',
      'id;name\n1;2\n3;"Kowalski"-Nowak\n',
      2,
      3,
      3,
      true,
    ],
    ['CSV_QUOTE_NOT_CLOSED', 'a quote that never closes', 'a,b\n1,2\n"x,3\n4,5\n', 2, 4, 3, false],
    ['CSV_QUOTE_NOT_CLOSED', 'a quote that never closes after an empty line', 'a,b\n\n1,2\n"x,3\n', 2, 4, 4, false],
    ['CSV_MAX_RECORD_SIZE', 'a row of a million characters', endless, 2, 3, 3, false],
    ['TOO_MANY_COLUMNS', 'a header of 501 columns', `${wide(MAX_COLUMNS + 1)}\n1,2\n`, 0, 1, 1, false],
    [
      'TOO_MANY_COLUMNS',
      'a row of 501 fields after a quoted line break',
      `a,b\n"ul. Długa 5\nm. 3",2\n${wide(MAX_COLUMNS + 1)}\n`,
      2,
      4,
      4,
      false,
    ],
    ['TOO_MANY_COLUMNS', 'a row of 501 fields spread over two lines by a quote', `a,b\n1,2\n"x\ny",${wide(MAX_COLUMNS)}\n`, 2, 3, 3, false],
  ] as const)('%s: %s names its row and line', async (code, _name, text, row, line, startLine, quoting) => {
    const delimiter = text.includes(';') ? ';' : ',';
    const error = await read(text, { header: true }, delimiter).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportFileError);
    expect(error).toMatchObject({ problem: 'malformed', row, line, malformation: { code, startLine, quoting } });
  });

  it('names the row of a broken quote deep in a large file', async () => {
    const rows = Array.from({ length: 40_000 }, (_, i) => `name ${i},${i}`);
    rows[31_234] = '=HYPERLINK("http://evil.example"),31234';
    const error = await read(['name,n', ...rows].join('\n') + '\n').catch((e: unknown) => e);
    expect(error).toMatchObject({
      problem: 'malformed',
      row: 31_235,
      line: 31_236,
      malformation: { code: 'INVALID_OPENING_QUOTE', quoting: true },
    });
  });

  it('reads stray quotes as text when asked to, and names the rows and fields they were in', async () => {
    const text = 'id,note,market\n1,"quoted, fine",PL\n2,=HYPERLINK("http://evil.example"),DE\n3,"say ""hi""",FR\n4,"Anna" Nowak,PL\n';
    const records = await read(text, { header: true }, ',', true);
    expect(records.map((r) => [r.rowNo, r.line, r.record, r.strayQuote])).toEqual([
      [0, 1, ['id', 'note', 'market'], undefined],
      [1, 2, ['1', 'quoted, fine', 'PL'], undefined],
      [2, 3, ['2', '=HYPERLINK("http://evil.example")', 'DE'], 1],
      [3, 4, ['3', 'say "hi"', 'FR'], undefined],
      [4, 5, ['4', expect.stringContaining('Anna'), 'PL'], 1],
    ]);
  });

  it('does not get past a quote that never closes, even leniently', async () => {
    const error = await read('a,b\n1,2\n"x,3\n', { header: true }, ',', true).catch((e: unknown) => e);
    expect(error).toMatchObject({ problem: 'malformed', malformation: { code: 'CSV_QUOTE_NOT_CLOSED', quoting: false } });
  });
});

describe('the caps on a record', () => {
  it('reads a row of exactly the most columns allowed', async () => {
    const records = await read(`${'x,'.repeat(MAX_COLUMNS - 1)}x\n${'1;'.repeat(MAX_COLUMNS - 1).replaceAll(';', ',')}1\n`);
    expect(records.map((r) => r.record.length)).toEqual([MAX_COLUMNS, MAX_COLUMNS]);
  });

  const MB = 1024 * 1024;
  /** A 250 MB upload: a header, a good row, then one line of `fill` that never ends; counts what the reader pulled. */
  function endlessUpload(fill: string) {
    const pulled = { bytes: 0, peakRss: process.memoryUsage().rss };
    const chunk = Buffer.from(fill.repeat(MB / fill.length));
    async function* bytes() {
      const start = Buffer.from('imię,telefon\nZofia,+48 601 234 567\n');
      pulled.bytes += start.length;
      yield start;
      while (pulled.bytes < 250 * MB) {
        pulled.bytes += chunk.length;
        pulled.peakRss = Math.max(pulled.peakRss, process.memoryUsage().rss);
        yield chunk;
      }
    }
    return { stream: Readable.from(bytes(), { objectMode: false }), pulled };
  }

  it.each([
    ['one endless field', 'x', 'CSV_MAX_RECORD_SIZE', false],
    ['one endless field, read leniently', 'x', 'CSV_MAX_RECORD_SIZE', true],
    ['one endless line of delimiters', ',', 'TOO_MANY_COLUMNS', false],
    ['one endless line of delimiters, read leniently', ',', 'TOO_MANY_COLUMNS', true],
    ['one endless line of empty quoted fields', '"",', 'TOO_MANY_COLUMNS', false],
  ] as const)(
    'a 250 MB file with %s: refused early, with its row and line, without buffering the file',
    async (_name, fill, code, relaxQuotes) => {
      const rssBefore = process.memoryUsage().rss;
      const { stream, pulled } = endlessUpload(fill);
      const rows: number[] = [];
      const error = await (async () => {
        for await (const r of readRecords(stream, { encoding: 'utf-8', delimiter: ',', relaxQuotes }, { header: true })) rows.push(r.rowNo);
      })().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImportFileError);
      expect(error).toMatchObject({ problem: 'malformed', row: 2, line: 3, malformation: { code, startLine: 3 } });
      // The good rows before it came through; the reading stopped within a few megabytes of the endless line.
      expect(rows).toEqual([0, 1]);
      expect(pulled.bytes).toBeLessThan(16 * MB);
      expect(pulled.peakRss - rssBefore).toBeLessThan(100 * MB);
      expect(stream.destroyed).toBe(true);
    },
  );
});
