import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FileRecord } from './read';
import { ImportFileError, readRecords } from './read';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zgoda-read-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
async function read(text: string | Buffer, options: { header?: boolean; limit?: number } = { header: true }, delimiter: ',' | ';' = ','): Promise<FileRecord[]> {
  const file = path.join(dir, `f${++n}.csv`);
  fs.writeFileSync(file, text);
  const out: FileRecord[] = [];
  for await (const r of readRecords(file, { encoding: 'utf-8', delimiter }, options)) out.push(r);
  return out;
}

// Each case: the file, and per record its row, the line it ends on, and its fields.
const CASES: Array<[name: string, text: string, expected: Array<[row: number, line: number, record: string[]]>]> = [
  ['LF', 'a,b\n1,2\n3,4\n', [[0, 1, ['a', 'b']], [1, 2, ['1', '2']], [2, 3, ['3', '4']]]],
  ['CRLF, no final break', 'a,b\r\n1,2\r\n3,4', [[0, 1, ['a', 'b']], [1, 2, ['1', '2']], [2, 3, ['3', '4']]]],
  ['a quoted line break', 'a,b\n"x\ny",1\n2,3\n', [[0, 1, ['a', 'b']], [1, 3, ['x\ny', '1']], [2, 4, ['2', '3']]]],
  ['a quoted CRLF counts as one line', 'a,b\r\n"x\r\ny",1\r\n2,3\r\n', [[0, 1, ['a', 'b']], [1, 3, ['x\r\ny', '1']], [2, 4, ['2', '3']]]],
  ['empty lines are skipped but counted', 'a,b\n\n1,2\n\r\n\n3,4\n', [[0, 1, ['a', 'b']], [1, 3, ['1', '2']], [2, 6, ['3', '4']]]],
  ['quoted delimiters and quotes', 'a,b\n"Nowak, Jr.","say ""hi"""\n', [[0, 1, ['a', 'b']], [1, 2, ['Nowak, Jr.', 'say "hi"']]]],
  ['a short row is kept', 'a,b,c\n1\n', [[0, 1, ['a', 'b', 'c']], [1, 2, ['1']]]],
  ['a byte order mark is dropped', '\uFEFFa,b\n1,2\n', [[0, 1, ['a', 'b']], [1, 2, ['1', '2']]]],
];

describe('readRecords', () => {
  it.each(CASES)('%s', async (_name, text, expected) => {
    const records = await read(text);
    expect(records.map((r) => [r.rowNo, r.line, r.record])).toEqual(expected);
  });

  it('reads semicolons when told to', async () => {
    expect((await read('a;b\n1;2\n', { header: true }, ';')).map((r) => r.record)).toEqual([['a', 'b'], ['1', '2']]);
  });

  it('numbers rows from 1 without a header, and stops at a limit', async () => {
    expect((await read('1,2\n3,4\n5,6\n', { header: false, limit: 2 })).map((r) => [r.rowNo, r.line])).toEqual([[1, 1], [2, 2]]);
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
});
