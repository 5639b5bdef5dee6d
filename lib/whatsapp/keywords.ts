// The opt-out and resume keywords of PRODUCT.md (lists per language in keywords.json): a whole message, compared after
// normalising case, accents, emoji, punctuation and surrounding whitespace.
import lists from './keywords.json';

type PerLanguage = Record<string, readonly string[]>;

/** The lists of keywords.json, read once. */
export const KEYWORD_LISTS: {
  stop: PerLanguage;
  stopMarketing: PerLanguage;
  resume: readonly string[];
  reviewExact: PerLanguage;
  polite: PerLanguage;
  inSentence: readonly string[];
  review: PerLanguage;
  reviewPatterns: PerLanguage;
  negations: readonly string[];
  orderWords: readonly string[];
} = lists;

/** A sentence boundary kept by tokens(): a negation before it does not turn round what follows it. */
export const BOUNDARY = '|';

// Letters that NFKD does not take apart.
const FOLD: Record<string, string> = { Ł: 'L', ł: 'l', Ø: 'O', ø: 'o', Đ: 'D', đ: 'd', Æ: 'AE', æ: 'ae', Œ: 'OE', œ: 'oe' };

/**
 * The words of a message, upper case and without accents; sentence punctuation becomes a BOUNDARY token, every other
 * sign (apostrophes, hyphens, emoji) a space: "Don't stop!! 🙏" -> ["DON", "T", "STOP", "|"].
 */
export function tokens(text: string): string[] {
  const folded = text
    .replace(/[ŁłØøĐđÆæŒœ]/g, (c) => FOLD[c] ?? c)
    .normalize('NFKD')
    .replace(/\p{Mn}/gu, '')
    .toUpperCase()
    .replace(/[.,!?;:¡¿()[\]…]+/gu, ` ${BOUNDARY} `)
    .replace(/[^\p{L}\p{N}|]+/gu, ' ');
  return folded.split(' ').filter(Boolean);
}

/** The message as one keyword: its words joined by one space, boundaries dropped. "  Arrêt ! " -> "ARRET". */
export function normalizeKeyword(text: string): string {
  return tokens(text)
    .filter((t) => t !== BOUNDARY)
    .join(' ');
}

const all = (lists: PerLanguage) => new Set(Object.values(lists).flat());

export const STOP_WORDS: ReadonlySet<string> = all(KEYWORD_LISTS.stop);
export const STOP_MARKETING_WORDS: ReadonlySet<string> = all(KEYWORD_LISTS.stopMarketing);
export const RESUME_WORDS: ReadonlySet<string> = new Set(KEYWORD_LISTS.resume);

export type KeywordIntent = 'stop' | 'stop_marketing' | 'resume';

/** What a message means when it is exactly a keyword; null for anything else ("stop please" is not a keyword). */
export function matchKeyword(text: string | null | undefined): KeywordIntent | null {
  if (!text) return null;
  return keywordOf(normalizeKeyword(text));
}

/** The keyword a normalised message is, if any. */
export function keywordOf(normalized: string): KeywordIntent | null {
  if (STOP_MARKETING_WORDS.has(normalized)) return 'stop_marketing';
  if (STOP_WORDS.has(normalized)) return 'stop';
  if (RESUME_WORDS.has(normalized)) return 'resume';
  return null;
}
