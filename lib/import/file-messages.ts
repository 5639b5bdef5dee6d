// Saying why a file cannot be read, in the reader's language: for a malformed file, the row, the line and the kind of
// breakage, whatever csv-parse's code for it.
import type { ImportFileError } from './read';
import { MAX_COLUMNS } from './read';

type Translate = (key: string, values?: Record<string, string | number>) => string;

const KNOWN_CODES = new Set(['INVALID_OPENING_QUOTE', 'CSV_INVALID_CLOSING_QUOTE', 'CSV_QUOTE_NOT_CLOSED', 'CSV_MAX_RECORD_SIZE']);

/** `t` reads the `import` messages, `tm` the `importMapping` ones, `tl` the `limits` ones. */
export function fileProblemText(t: Translate, tm: Translate, tl: Translate, error: ImportFileError): string {
  const m = error.malformation;
  if (error.problem !== 'malformed' || !m) return t(`file.${error.problem}`, { row: error.row ?? 0, line: error.line ?? 0 });
  const row = error.row ?? 0;
  const where = row === 0 ? tm('file.header') : tm('file.row', { row });
  if (m.code === 'TOO_MANY_COLUMNS') return tl('file.TOO_MANY_COLUMNS', { where, startLine: m.startLine, max: MAX_COLUMNS });
  const text = tm(`file.${KNOWN_CODES.has(m.code) ? m.code : 'other'}`, {
    where,
    line: error.line ?? m.startLine,
    startLine: m.startLine,
    code: m.code,
  });
  return m.quoting ? `${text} ${tm('file.lenientHint')}` : text;
}
