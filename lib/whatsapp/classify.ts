// What a WhatsApp reply means for consent, from its text alone: an exact opt-out keyword, Meta's marketing-only
// "Stop promotions", START, a reply that reads like an objection (a person decides), or nothing.
import { BOUNDARY, KEYWORD_LISTS, keywordOf, tokens } from './keywords';

export type ReplyClass = 'stop' | 'stop_marketing' | 'resume' | 'review' | 'none';
/** cue: the words of the message that made it a review, as the customer wrote them. */
export type Classification = { kind: ReplyClass; cue?: string };

const set = (lists: Record<string, readonly string[]>) => new Set(Object.values(lists).flat());
const POLITE = set(KEYWORD_LISTS.polite);
const REVIEW_EXACT = set(KEYWORD_LISTS.reviewExact);
const ORDER_WORDS = new Set(KEYWORD_LISTS.orderWords);
const NEGATIONS = KEYWORD_LISTS.negations;
// Longest first, so that "NIE PISZCIE" is named rather than "NIE PISZ".
const REVIEW_CUES = [...set(KEYWORD_LISTS.review)].sort((a, b) => b.length - a.length).map((cue) => cue.split(' '));
const IN_SENTENCE = KEYWORD_LISTS.inSentence.map((word) => word.split(' '));
const REVIEW_PATTERNS = Object.values(KEYWORD_LISTS.reviewPatterns)
  .flat()
  .map((source) => new RegExp(source));

/** Where `phrase` occurs in `words` as whole words. */
function positions(words: readonly string[], phrase: readonly string[]): number[] {
  const found: number[] = [];
  for (let i = 0; i + phrase.length <= words.length; i++) if (phrase.every((p, j) => words[i + j] === p)) found.push(i);
  return found;
}

/** A negation among the two words before position i, within the same sentence ("don't stop", "nicht mehr"). */
function negatedAt(words: readonly string[], i: number): boolean {
  const before: string[] = [];
  for (let j = i - 1; j >= 0 && before.length < 2; j--) {
    if (words[j] === BOUNDARY) break;
    before.unshift(words[j]!);
  }
  const padded = ` ${before.join(' ')} `;
  return NEGATIONS.some((n) => padded.includes(` ${n} `));
}

/** An order word among the three words after a stop word: "stop the delivery" is about an order, not about messages. */
function aboutAnOrder(words: readonly string[], end: number): boolean {
  for (let j = end; j < Math.min(words.length, end + 3); j++) {
    if (words[j] === BOUNDARY) return false;
    if (ORDER_WORDS.has(words[j]!)) return true;
  }
  return false;
}

/** The message without one polite word or phrase at its start and one at its end: "BITTE STOP DANKE" -> "STOP". */
function withoutPoliteWrapper(words: readonly string[]): string | null {
  const text = words.join(' ');
  for (const before of ['', ...POLITE]) {
    if (before && !text.startsWith(`${before} `)) continue;
    const rest = before ? text.slice(before.length + 1) : text;
    for (const after of ['', ...POLITE]) {
      if (!before && !after) continue;
      if (after && !rest.endsWith(` ${after}`)) continue;
      const core = after ? rest.slice(0, -(after.length + 1)) : rest;
      if (core) return core;
    }
  }
  return null;
}

/**
 * The customer's own wording of words [from, from + length) of tokens(text) (boundaries counted): "m'écrire" rather
 * than "M ECRIRE". Words are the letters and digits between other signs, before and after normalising alike.
 */
function originalWords(text: string, all: readonly string[], from: number, length: number): string {
  const spans = [...text.matchAll(/[\p{L}\p{N}]+/gu)];
  const index = (i: number) => all.slice(0, i).filter((w) => w !== BOUNDARY).length;
  const first = spans[index(from)];
  const last = spans[index(from + length - 1)];
  if (spans.length !== all.filter((w) => w !== BOUNDARY).length || !first || !last) return all.slice(from, from + length).join(' ');
  return text.slice(first.index, last.index + last[0].length);
}

/** The first objection pattern found in a sentence, as [first word, number of words] of tokens(text). */
function patternMatch(all: readonly string[]): { from: number; length: number } | null {
  for (let start = 0; start < all.length;) {
    let end = all.indexOf(BOUNDARY, start);
    if (end < 0) end = all.length;
    const sentence = all.slice(start, end).join(' ');
    for (const pattern of REVIEW_PATTERNS) {
      const m = pattern.exec(sentence);
      if (!m || !m[0].trim()) continue;
      const offset = m.index + (m[0].length - m[0].trimStart().length);
      const from = start + (sentence.slice(0, offset).match(/ /g)?.length ?? 0);
      return { from, length: m[0].trim().split(' ').length };
    }
    start = end + 1;
  }
  return null;
}

/**
 * Classifies one reply. Exact keywords act at once; a keyword wrapped in a polite word that leaves no doubt ("STOP
 * bitte", "please stop", "proszę STOP") is still that keyword, except START, which stays strict. Anything that reads
 * like an objection is a review, never an automatic withdrawal; innocent replies and yes-words are none. So is a keyword
 * said several times ("STOP STOP").
 */
export function classifyReply(text: string | null | undefined): Classification {
  if (!text) return { kind: 'none' };
  const all = tokens(text);
  const words = all.filter((w) => w !== BOUNDARY);
  if (words.length === 0) return { kind: 'none' };
  const whole = words.join(' ');

  const exact = keywordOf(whole);
  if (exact) return { kind: exact };
  const core = withoutPoliteWrapper(words);
  const wrapped = core ? keywordOf(core) : null;
  if (wrapped && wrapped !== 'resume') return { kind: wrapped };
  // "STOP STOP STOP", "STOPPP": the same keyword said louder (a letter held down is read once, then twice: STOPPP is
  // STOP, ABMELDENNN is ABMELDEN, STOPPPP is STOP before STOPP, either way a stop).
  const single = new Set(words).size === 1 ? words[0]! : whole;
  const repeated =
    keywordOf(single) ?? keywordOf(single.replace(/(\p{L})\1{2,}/gu, '$1')) ?? keywordOf(single.replace(/(\p{L})\1{2,}/gu, '$1$1'));
  if (repeated && repeated !== 'resume') return { kind: repeated };
  if (REVIEW_EXACT.has(whole) || (core && REVIEW_EXACT.has(core))) return { kind: 'review', cue: text.trim() };

  for (const cue of REVIEW_CUES) {
    // A cue that is itself a negation ("NIE PISZCIE", "NOT INTERESTED") is not turned round by the word before it.
    const selfNegated = NEGATIONS.some((n) => `${cue.join(' ')} `.startsWith(`${n} `));
    const at = positions(all, cue).find((i) => selfNegated || !negatedAt(all, i));
    if (at !== undefined) return { kind: 'review', cue: originalWords(text, all, at, cue.length) };
  }
  for (const word of IN_SENTENCE) {
    const at = positions(all, word).find((i) => !negatedAt(all, i) && !aboutAnOrder(all, i + word.length));
    if (at !== undefined) return { kind: 'review', cue: originalWords(text, all, at, word.length) };
  }
  const pattern = patternMatch(all);
  if (pattern) return { kind: 'review', cue: originalWords(text, all, pattern.from, pattern.length) };
  return { kind: 'none' };
}
