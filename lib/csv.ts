// Writing CSV that is safe to open in a spreadsheet: quoted where needed, CRLF line ends, and no cell that a
// spreadsheet would run.

// Spreadsheets treat a text cell starting with one of these as a formula (CSV injection); a leading apostrophe makes it text.
const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell quoted when it needs to be (also for a semicolon, which Excel in Poland and Germany splits on). */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",;\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line, CRLF-terminated. */
export function csvLine(values: readonly unknown[]): string {
  return values.map(csvCell).join(',') + '\r\n';
}

export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  return [header, ...rows].map(csvLine).join('');
}
