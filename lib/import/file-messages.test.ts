import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTranslator } from 'next-intl';
import de from '@/lib/i18n/messages/de.json';
import en from '@/lib/i18n/messages/en.json';
import pl from '@/lib/i18n/messages/pl.json';
import { fileProblemText } from './file-messages';
import { diskFile } from '@/lib/files/store';
import { ImportFileError, MAX_COLUMNS, MAX_RECORD_CHARS, readRecords } from './read';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zgoda-file-messages-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function failure(text: string): Promise<ImportFileError> {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.csv`);
  fs.writeFileSync(file, text);
  try {
    for await (const _ of readRecords(diskFile(file), { encoding: 'utf-8', delimiter: ',' }, { header: true }));
  } catch (error) {
    if (error instanceof ImportFileError) return error;
    throw error;
  }
  throw new Error('the file was read');
}

type Catalog = typeof en;
const translators = (messages: Catalog, locale: string) => {
  const t = createTranslator({ locale, messages, namespace: 'import' });
  const tm = createTranslator({ locale, messages, namespace: 'importMapping' });
  const tl = createTranslator({ locale, messages, namespace: 'limits' });
  return [
    (key: string, values?: Record<string, string | number>) => t(key as never, values as never),
    (key: string, values?: Record<string, string | number>) => tm(key as never, values as never),
    (key: string, values?: Record<string, string | number>) => tl(key as never, values as never),
  ] as const;
};

describe('a malformed file, said in the reader’s language', () => {
  // Each error a user can cause: the message names the row and line, and offers the lenient read only for stray quotes.
  it.each([
    ['INVALID_OPENING_QUOTE', 'id,note\n1,ok\n2,=HYPERLINK("http://evil.example")\n', ['row 2', 'line 3', '=HYPERLINK'], true],
    ['INVALID_OPENING_QUOTE in the header', 'id,e"mail"\n1,a@example.pl\n', ['the header', 'line 1'], true],
    ['CSV_INVALID_CLOSING_QUOTE', 'id,name\n1,"Anna" Nowak\n', ['row 1', 'line 2'], true],
    ['CSV_QUOTE_NOT_CLOSED', 'a,b\n1,2\n"x,3\n4,5\n', ['broken quote at row 2', 'from line 3', 'stopped at line 4'], false],
    ['CSV_MAX_RECORD_SIZE', `a,b\n1,2\n${'x'.repeat(MAX_RECORD_CHARS + 1)},3\n`, ['row 2', 'line 3', 'million'], false],
    [
      'TOO_MANY_COLUMNS',
      `Imię;Nazwisko\nAnna;Nowak\n${'1,'.repeat(MAX_COLUMNS)}1\n`,
      ['row 2', 'line 3', 'more than 500 columns', 'wrong delimiter'],
      false,
    ],
    [
      'TOO_MANY_COLUMNS in the header',
      `${'kolumna,'.repeat(MAX_COLUMNS)}e-mail\nanna@example.pl\n`,
      ['the header', 'line 1', 'more than 500 columns'],
      false,
    ],
  ])('%s', async (_code, text, parts, lenient) => {
    const error = await failure(text);
    const [t, tm, tl] = translators(en, 'en');
    const message = fileProblemText(t, tm, tl, error);
    for (const part of parts) expect(message).toContain(part);
    expect(message.includes('taking such quotes as text')).toBe(lenient);
    for (const [messages, locale] of [
      [pl, 'pl'],
      [de, 'de'],
    ] as const) {
      const [tt, ttm, ttl] = translators(messages as Catalog, locale);
      const local = fileProblemText(tt, ttm, ttl, error);
      expect(local).toMatch(/\d/);
      expect(local).not.toContain('{');
    }
  });

  it('names the code of a parser error it has no words for, with the row and line', () => {
    const [t, tm, tl] = translators(en, 'en');
    const error = new ImportFileError('malformed', 7, 9, { code: 'CSV_SOMETHING_NEW', startLine: 9, quoting: false });
    expect(fileProblemText(t, tm, tl, error)).toBe(
      'The file cannot be read as CSV at row 7 (line 9): CSV_SOMETHING_NEW. Check the file and upload it again.',
    );
  });
});
