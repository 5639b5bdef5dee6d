// Comparing words the way people type them in spreadsheets.

/** Folds case, accents and surrounding space: "  Ja " and "ja" read alike, as do "Désabonné" and "desabonne". */
export function fold(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .trim()
    .toLowerCase();
}
