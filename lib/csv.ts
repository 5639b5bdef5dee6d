// Writing CSV that is safe to open in a spreadsheet: quoted where needed, and no cell that a spreadsheet would run.

// Spreadsheets treat a cell starting with one of these as a formula (CSV injection); a leading apostrophe makes it text.
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",;\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line, CRLF-terminated. */
export function csvLine(values: ReadonlyArray<string | number | null | undefined>): string {
  return values.map(csvCell).join(',') + '\r\n';
}
