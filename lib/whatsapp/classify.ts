// What a WhatsApp reply means for consent, from its text alone: an exact opt-out keyword, Meta's marketing-only
// "Stop promotions", START, a reply that reads like an objection (a person decides), or nothing.
import { BOUNDARY, KEYWORD_LISTS, keywordOf, tokens } from './keywords';

export type ReplyClass = 'stop' | 'stop_marketing' | 'resume' | 'review' | 'none';
export type Classification = { kind: ReplyClass; /** what made it a review, in normalised form */ cue?: string };

const set = (lists: Record<string, readonly string[]>) => new Set(Object.values(lists).flat());
const POLITE = set(KEYWORD_LISTS.polite);
const REVIEW_EXACT = set(KEYWORD_LISTS.reviewExact);
const ORDER_WORDS = new Set(KEYWORD_LISTS.orderWords);
const NEGATIONS = KEYWORD_LISTS.negations;
// Longest first, so that "NIE PISZCIE" is named rather than "NIE PISZ".
const REVIEW_CUES = [...set(KEYWORD_LISTS.review)].sort((a, b) => b.length - a.length).map((cue) => cue.split(' '));
const IN_SENTENCE = KEYWORD_LISTS.inSentence.map((word) => word.split(' '));

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
 * Classifies one reply. Exact keywords act at once; a keyword wrapped in a polite word that leaves no doubt ("STOP
 * bitte", "please stop", "proszę STOP") is still that keyword, except START, which stays strict. Anything that reads
 * like an objection is a review, never an automatic withdrawal; innocent replies and yes-words are none.
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
  if (REVIEW_EXACT.has(whole)) return { kind: 'review', cue: whole };
  if (core && REVIEW_EXACT.has(core)) return { kind: 'review', cue: core };

  for (const cue of REVIEW_CUES) {
    // A cue that is itself a negation ("NIE PISZCIE", "NOT INTERESTED") is not turned round by the word before it.
    const selfNegated = NEGATIONS.some((n) => `${cue.join(' ')} `.startsWith(`${n} `));
    if (positions(all, cue).some((i) => selfNegated || !negatedAt(all, i))) return { kind: 'review', cue: cue.join(' ') };
  }
  for (const word of IN_SENTENCE) {
    if (positions(all, word).some((i) => !negatedAt(all, i) && !aboutAnOrder(all, i + word.length))) return { kind: 'review', cue: word.join(' ') };
  }
  return { kind: 'none' };
}
