// Recognising what an uploaded file is, from its first bytes: its text encoding and its field delimiter, or that
// it is not a CSV file at all.

export const ENCODINGS = ['utf-8', 'windows-1250', 'windows-1252', 'iso-8859-2'] as const;
export type Encoding = (typeof ENCODINGS)[number];
export const DELIMITERS = [',', ';', '\t'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

export type NotCsv = 'empty' | 'spreadsheet' | 'binary';

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** A spreadsheet or other binary file renamed .csv, or nothing at all. */
export function notCsv(sample: Uint8Array): NotCsv | null {
  if (sample.length === 0) return 'empty';
  const starts = (...bytes: number[]) => bytes.every((b, i) => sample[i] === b);
  if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) return 'spreadsheet';
  let control = 0;
  for (const b of sample) {
    if (b === 0) return 'binary';
    if (b < 0x09 || (b > 0x0d && b < 0x20)) control++;
  }
  return control > sample.length / 100 ? 'binary' : null;
}

export function hasUtf8Bom(sample: Uint8Array): boolean {
  return UTF8_BOM.every((b, i) => sample[i] === b);
}

function decodesAsUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Valid UTF-8; a sample cut from a longer file may end inside a character, which is then left out. */
function isUtf8(sample: Uint8Array, truncated: boolean): boolean {
  if (decodesAsUtf8(sample)) return true;
  if (!truncated) return false;
  for (let i = sample.length - 1; i >= Math.max(0, sample.length - 3); i--) {
    const b = sample[i]!;
    if (b >= 0xc2 && b <= 0xf4) return decodesAsUtf8(sample.subarray(0, i));
  }
  return false;
}

// Bytes that spell Polish letters in one of the two single-byte encodings and mean something else in the other:
// Windows-1250 puts ś ź Ś Ź ą Ą in 0x8C-0x9F and 0xA5/0xB9, ISO-8859-2 puts them in 0xA1-0xBC.
const WINDOWS_1250_ONLY = new Set([0x8c, 0x8f, 0x9c, 0x9f, 0xa5, 0xb9]);
const ISO_8859_2_ONLY = new Set([0xa1, 0xa6, 0xac, 0xb1, 0xb6, 0xbc]);

// Read as the other code page, the letters of one language turn into signs or into letters few languages use:
// Polish ą ł ż ś in Windows-1250 read as ¹ ³ ¿ œ in Windows-1252, French and Italian à ò in Windows-1252 read as ŕ ň
// in Windows-1250, Czech ř as ø. A decoding scores a point for each letter the shops' languages write, and loses
// three for each sign or rare letter such a misreading gives, and for ń before a vowel (Polish writes "ni" there;
// it is Spanish ñ misread) or č without Czech's other letters (French è misread).
const COMMON_LETTERS = new Set('ąćęłńóśźżĄĆĘŁŃÓŚŹŻäöüßÄÖÜéèàâêîôûçëïùìòÿœÉÈÀÂÊÎÔÛÇËÏÙÌÒŒñÑáíúÁÍÚčěřůČĚŘŮ');
const MISREAD = new Set('¹³¥£¯Ÿ¼¾ŕĺľűőďťňŔĹĽŰŐĎŤŇˇ˘˝˛˙øØ');

function plausibility(text: string): number {
  let score = 0;
  for (const ch of text) {
    if (COMMON_LETTERS.has(ch)) score++;
    else if (MISREAD.has(ch)) score -= 3;
  }
  score -= 4 * (text.match(/[ńŃ][aeiouyAEIOUY]/g)?.length ?? 0);
  // č with none of Czech's other letters is French è misread.
  if (!/[ěřůšžťďňĚŘŮŠŽŤĎŇ]/.test(text)) score -= 2 * (text.match(/[čČ]/g)?.length ?? 0);
  return score;
}

/** The encoding of a file from its first bytes; `truncated` when the sample is only the start of the file. */
export function detectEncoding(sample: Uint8Array, truncated = false): Encoding {
  if (hasUtf8Bom(sample) || isUtf8(sample, truncated)) return 'utf-8';
  let windows = 0;
  let iso = 0;
  for (const b of sample) {
    if (WINDOWS_1250_ONLY.has(b)) windows++;
    else if (ISO_8859_2_ONLY.has(b)) iso++;
  }
  if (iso > windows) return 'iso-8859-2';
  // Excel on Polish and German Windows writes Windows-1250 (German letters are the same bytes in both); French,
  // Spanish and Italian Excel writes Windows-1252. Windows-1250 wins a tie.
  const as1250 = plausibility(new TextDecoder('windows-1250').decode(sample));
  const as1252 = plausibility(new TextDecoder('windows-1252').decode(sample));
  return as1252 > as1250 ? 'windows-1252' : 'windows-1250';
}

/** The delimiter that splits the first lines into the same, largest number of fields (quotes respected). */
export function detectDelimiter(text: string): Delimiter {
  const lines: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    if (!quoted && (ch === '\n' || ch === '\r')) {
      if (current.trim()) lines.push(current);
      current = '';
      if (lines.length >= 20) break;
    } else current += ch;
  }
  if (current.trim() && lines.length < 20) lines.push(current);
  const count = (line: string, d: Delimiter) => {
    let n = 0;
    let q = false;
    for (const ch of line) {
      if (ch === '"') q = !q;
      else if (!q && ch === d) n++;
    }
    return n;
  };
  let best: Delimiter = ',';
  let bestScore = -1;
  for (const d of DELIMITERS) {
    const counts = lines.map((l) => count(l, d));
    const first = counts[0] ?? 0;
    if (first === 0) continue;
    const consistent = counts.filter((c) => c === first).length;
    const score = consistent * 1000 + first;
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}
