// The content linter: finds promotional content (a transactional template with it is marketing, for the law and for
// Meta) and checks that a marketing template gives a way out and names its sender.
import words from './promotional-words.json';
import type { Issue, TemplateDraft } from './template-rules';
import { checkTemplate } from './template-rules';

export const PROMO_KINDS = ['discount', 'percentage', 'coupon', 'sale', 'offer', 'new_collection', 'recommendation', 'shop_link'] as const;
export type PromoKind = (typeof PROMO_KINDS)[number];

type WordList = Partial<Record<PromoKind, string[]>>;
/**
 * A passage that is promotional only next to a context in the same field: "free delivery" is a fact about this
 * order until it is promised "on your next order"; a gift is a gift order until it is offered "for your review".
 */
type Combination = { kind: PromoKind; terms: string[]; with: string[] };
/**
 * The word list of one language: promotional words per kind; `neutral` passages that are plain order information
 * and silence the words inside them ("Gratis-Rücksendung", "23% VAT"); `contexts` by name and the `combinations`
 * that need one of them.
 */
type LanguageList = WordList & { neutral?: string[]; contexts?: Record<string, string[]>; combinations?: Combination[] };
const LISTS = words as unknown as Record<string, LanguageList> & { shopPathSegments: string[] };
const NOT_KINDS = new Set(['neutral', 'contexts', 'combinations']);

export type LintField = 'header' | 'body' | 'footer' | 'buttons';
/** A promotional passage: where it is (offsets into that field's text) and what kind of promotion it is. */
export type PromoMatch = { field: LintField; start: number; end: number; text: string; kind: PromoKind };

/**
 * Folds case and accents code unit by code unit, so offsets into the folded text are offsets into the original:
 * "Wyprzedaż" -> "wyprzedaz", "Réduction" -> "reduction", "ł" -> "l", "ß" stays.
 */
export function fold(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // ASCII, most of every message, directly; other code units through a cache (fold runs on every keystroke).
    out += code < 128 ? (code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : text[i]!) : foldUnit(text[i]!);
  }
  return out;
}

const folded = new Map<string, string>();
function foldUnit(ch: string): string {
  let mapped = folded.get(ch);
  if (mapped === undefined) {
    const lower = ch.toLowerCase();
    const base = (lower.length === 1 ? lower : ch).normalize('NFD').replace(/\p{M}/gu, '');
    const one = base === 'ł' ? 'l' : base === '’' ? "'" : base;
    mapped = one.length === 1 ? one : ch;
    folded.set(ch, mapped);
  }
  return mapped;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// A word character of the folded text (lower case, accents gone): digits and the Latin, Greek and Cyrillic letters.
// Spelled as a plain class because V8 builds every `\p{L}` of a pattern anew: hundreds of them cost the first
// keystroke most of a second, this class a few milliseconds for all the lists.
const L = '[0-9a-z\\u00b5\\u00df-\\u00f6\\u00f8-\\u02af\\u0370-\\u052f\\u1e00-\\u1fff]';
// `#` in a list entry is a number ("# punktów"), `¤` an amount of money ("od ¤" = "od 199 zł", "ab 50 €", "$20").
const NUMBER = '\\d+(?:[.,]\\d+)?';
const CURRENCY = '(?:zl|pln|€|eur|euro|\\$|usd|£|gbp|chf)';
const AMOUNT = `(?:${NUMBER}\\s?${CURRENCY}|(?:€|\\$|£)\\s?${NUMBER})`;

function tokenPattern(token: string): string {
  return token
    .split(/([*#¤%])/)
    .map((piece) => (piece === '*' ? `${L}*` : piece === '#' ? NUMBER : piece === '¤' ? AMOUNT : piece === '%' ? '\\s?%' : escape(piece)))
    .join('');
}

/** A list entry as a regular expression: any whitespace between its words, `*` for any ending. */
function entryPattern(entry: string): string {
  return fold(entry).trim().split(/\s+/).map(tokenPattern).join('\\s+');
}

/** Entries as one expression, matched as whole words: the boundaries once around the alternation, not per entry. */
const alternation = (entries: string[]) => new RegExp(`(?<!${L})(?:${entries.map(entryPattern).join('|')})(?!${L})`, 'gu');

type Rule = { kind: PromoKind; re: RegExp; needs?: RegExp };
type Rules = { rules: Rule[]; neutral: RegExp | null };
const compiled = new Map<string, Rules>();

/** The rules of a language: its own word list and English (shops mix English sale words into every language). */
function rulesFor(language: string): Rules {
  const primary = language.toLowerCase().split(/[-_]/)[0] ?? 'en';
  const cached = compiled.get(primary);
  if (cached) return cached;
  const lists = [...new Set(['en', primary])]
    .map((l) => LISTS[l])
    .filter((l): l is LanguageList => typeof l === 'object' && !Array.isArray(l));
  const rules: Rule[] = [];
  const neutral: string[] = [];
  const contexts = new Map<string, string[]>();
  for (const list of lists) {
    for (const [kind, entries] of Object.entries(list)) {
      if (!NOT_KINDS.has(kind)) rules.push({ kind: kind as PromoKind, re: alternation(entries as string[]) });
    }
    neutral.push(...(list.neutral ?? []));
    for (const [name, entries] of Object.entries(list.contexts ?? {})) contexts.set(name, [...(contexts.get(name) ?? []), ...entries]);
  }
  // Any percentage ("10%", "-15 %", "20,5%") is a price promise in a customer message.
  rules.push({ kind: 'percentage', re: /-?\d+(?:[.,]\d+)?\s?%/gu });
  // Combinations come last: where a single word already marks the passage, the single word's mark stays.
  for (const list of lists) {
    for (const c of list.combinations ?? []) {
      const needed = c.with.flatMap((name) => contexts.get(name) ?? []);
      if (needed.length > 0) rules.push({ kind: c.kind, re: alternation(c.terms), needs: alternation(needed) });
    }
  }
  const result = { rules, neutral: neutral.length > 0 ? alternation(neutral) : null };
  compiled.set(primary, result);
  return result;
}

const URL_RE = /\b(?:https?:\/\/|www\.)[^\s<>"]+/giu;
const SHOP_SEGMENTS = new Set(LISTS.shopPathSegments.map(fold));

/** Whether a link leads to shop pages (products, categories, sales) rather than to an order or an account. */
export function isShopLink(url: string): boolean {
  const path = fold(url).replace(/^(?:https?:\/\/)?[^/?#]*/, '');
  return path.split(/[/?#&=.]+/).some((segment) => SHOP_SEGMENTS.has(segment));
}

/** Promotional passages of one text, sorted by position, overlaps merged into the first. */
export function findPromotional(text: string, language: string, field: LintField = 'body'): PromoMatch[] {
  const folded = fold(text);
  const { rules, neutral } = rulesFor(language);
  // Plain order information ("free returns", "Gratis-Rücksendung", "23% VAT", "your gift card") silences the words
  // inside it, single or combined.
  const silenced = neutral ? [...folded.matchAll(neutral)].map((m) => [m.index, m.index + m[0].length] as const) : [];
  const isSilenced = (start: number, end: number) => silenced.some(([s, e]) => start < e && end > s);
  const found: PromoMatch[] = [];
  for (const { kind, re, needs } of rules) {
    if (needs) {
      needs.lastIndex = 0;
      if (!needs.test(folded)) continue;
    }
    for (const m of folded.matchAll(re)) {
      const end = m.index + m[0].length;
      if (isSilenced(m.index, end) || (needs && found.some((f) => m.index < f.end && end > f.start))) continue;
      found.push({ field, start: m.index, end, text: text.slice(m.index, end), kind });
    }
  }
  for (const m of text.matchAll(URL_RE)) {
    if (isShopLink(m[0])) found.push({ field, start: m.index, end: m.index + m[0].length, text: m[0], kind: 'shop_link' });
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: PromoMatch[] = [];
  for (const m of found) if (!merged.length || m.start >= merged[merged.length - 1]!.end) merged.push(m);
  return merged;
}

/** Promotional passages anywhere in the template: header, body, footer, button labels and URLs. */
export function lintPromotional(d: Pick<TemplateDraft, 'header' | 'body' | 'footer' | 'buttons' | 'language'>): PromoMatch[] {
  return [
    ...findPromotional(d.header ?? '', d.language, 'header'),
    ...findPromotional(d.body, d.language, 'body'),
    ...findPromotional(d.footer ?? '', d.language, 'footer'),
    ...d.buttons.flatMap((b) => findPromotional(b.type === 'url' ? `${b.text} ${b.url}` : b.text, d.language, 'buttons')),
  ];
}

/** The way out a marketing template offers, per language: an unsubscribe line for the footer and a quick reply. */
export const OPT_OUT: Record<string, { line: string; quickReply: string }> = {
  en: { line: 'Reply STOP to unsubscribe', quickReply: 'Stop promotions' },
  pl: { line: 'Odpisz STOP, aby zrezygnować', quickReply: 'Zatrzymaj promocje' },
  de: { line: 'Antworten Sie STOPP zum Abmelden', quickReply: 'Werbung stoppen' },
  fr: { line: 'Répondez STOP pour vous désabonner', quickReply: 'Arrêter les promotions' },
};

export function optOutFor(language: string): { line: string; quickReply: string } {
  return OPT_OUT[language.toLowerCase().split(/[-_]/)[0] ?? 'en'] ?? OPT_OUT.en!;
}

// The keywords the webhook treats as opt-out (PRODUCT.md); in a line they must stand in capitals, as an instruction.
const STOP_WORDS = [
  'STOP',
  'STOPP',
  'UNSUBSCRIBE',
  'ABMELDEN',
  'ABBESTELLEN',
  'REZYGNUJ',
  'WYPISZ',
  'STOPPER',
  'ARRET',
  'ARRÊT',
  'DESABONNER',
  'DÉSABONNER',
  'BAJA',
];
const STOP_IN_LINE = new RegExp(`(?<![\\p{L}])(?:${STOP_WORDS.join('|')})(?![\\p{L}])`, 'u');
const STOP_LABELS = new Set(Object.values(OPT_OUT).map((o) => fold(o.quickReply)));

/** Whether a marketing template lets the customer stop: a stop quick reply, or a line naming an opt-out keyword. */
export function hasOptOut(d: Pick<TemplateDraft, 'body' | 'footer' | 'buttons'>): boolean {
  const quick = d.buttons.some((b) => b.type === 'quick_reply' && (STOP_LABELS.has(fold(b.text.trim())) || STOP_IN_LINE.test(b.text)));
  return quick || STOP_IN_LINE.test(d.body) || STOP_IN_LINE.test(d.footer ?? '');
}

/** Whether the shop's name appears in the header, body or footer. */
export function namesSender(d: Pick<TemplateDraft, 'header' | 'body' | 'footer'>, sender: string | null): boolean {
  const name = fold(sender?.trim() ?? '');
  if (!name) return false;
  return [d.header, d.body, d.footer].some((text) => text != null && fold(text).includes(name));
}

export type DraftReview = { issues: Issue[]; promotional: PromoMatch[] };

/**
 * Everything that stands between a draft and approval: Meta's limits, promotional content in a transactional
 * draft, and for marketing the way out and the sender. Empty issues: the draft may be submitted and approved.
 */
export function reviewDraft(d: TemplateDraft & { sender: string | null }): DraftReview {
  const issues = checkTemplate(d);
  const promotional = lintPromotional(d);
  if (d.category === 'transactional' && promotional.length > 0) {
    const found = [...new Set(promotional.map((m) => m.text.trim()))].slice(0, 5).join(', ');
    issues.push({ code: 'transactional_promotional', field: 'category', params: { words: found } });
  }
  if (d.category === 'marketing') {
    if (!hasOptOut(d)) issues.push({ code: 'marketing_opt_out', field: 'footer', params: { line: optOutFor(d.language).line } });
    if (!d.sender?.trim()) issues.push({ code: 'marketing_sender_required', field: 'category' });
    else if (!namesSender(d, d.sender))
      issues.push({ code: 'marketing_sender_missing', field: 'body', params: { sender: d.sender.trim() } });
  }
  return { issues, promotional };
}
