// The opt-out and resume keywords of PRODUCT.md: a whole message, case- and accent-insensitive, trimmed.

export const OPT_OUT_KEYWORDS = [
  'STOP',
  'STOPP',
  'UNSUBSCRIBE',
  'ABMELDEN',
  'ABBESTELLEN',
  'REZYGNUJ',
  'WYPISZ',
  'STOPPER',
  'ARRET',
  'DESABONNER',
  'BAJA',
  'STOP PROMOTIONS',
] as const;
export const RESUME_KEYWORDS = ['START', 'JA', 'TAK', 'OUI', 'SI'] as const;

export type KeywordIntent = 'stop' | 'resume';

/** Upper case without accents, inner whitespace folded to one space, trailing . or ! dropped: "  Arrêt ! " -> "ARRET". */
export function normalizeKeyword(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{Mn}/gu, '')
    .toUpperCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\s*[.!]+$/u, '')
    .trim();
}

const OPT_OUT = new Set<string>(OPT_OUT_KEYWORDS);
const RESUME = new Set<string>(RESUME_KEYWORDS);

/** What a message means when it is exactly a keyword; null for anything else ("stop please" is not a keyword). */
export function matchKeyword(text: string | null | undefined): KeywordIntent | null {
  if (!text) return null;
  const word = normalizeKeyword(text);
  if (OPT_OUT.has(word)) return 'stop';
  if (RESUME.has(word)) return 'resume';
  return null;
}
