// The content linter: finds promotional content (a transactional template with it is marketing, for the law and for
// Meta) and checks that a marketing template gives a way out and names its sender.
import words from './promotional-words.json';
import type { Issue, TemplateDraft } from './template-rules';
import { checkTemplate } from './template-rules';

export const PROMO_KINDS = ['discount', 'percentage', 'coupon', 'sale', 'offer', 'new_collection', 'recommendation', 'shop_link'] as const;
export type PromoKind = (typeof PROMO_KINDS)[number];

type WordList = Partial<Record<PromoKind, string[]>>;
const LISTS = words as unknown as Record<string, WordList> & { shopPathSegments: string[] };

export type LintField = 'header' | 'body' | 'footer' | 'buttons';
/** A promotional passage: where it is (offsets into that field's text) and what kind of promotion it is. */
export type PromoMatch = { field: LintField; start: number; end: number; text: string; kind: PromoKind };

/**
 * Folds case and accents code unit by code unit, so offsets into the folded text are offsets into the original:
 * "Wyprzedaż" -> "wyprzedaz", "Réduction" -> "reduction", "ł" -> "l", "ß" stays.
 */
export function fold(text: string): string {
  let out = '';
  for (const ch of text.split('')) {
    const lower = ch.toLowerCase();
    const base = (lower.length === 1 ? lower : ch).normalize('NFD').replace(/\p{M}/gu, '');
    const mapped = base === 'ł' ? 'l' : base === '’' ? "'" : base;
    out += mapped.length === 1 ? mapped : ch;
  }
  return out;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const L = '[\\p{L}\\p{N}]';

/** A list entry as a regular expression: whole words, any whitespace between them, `*` for any ending. */
function entryPattern(entry: string): string {
  const prefix = entry.endsWith('*');
  const parts = fold(prefix ? entry.slice(0, -1) : entry)
    .trim()
    .split(/\s+/)
    .map((w) => w.split('*').map(escape).join(`${L}*`));
  return `(?<!${L})${parts.join('\\s+')}${prefix ? `${L}*` : `(?!${L})`}`;
}

type Rule = { kind: PromoKind; re: RegExp };
const compiled = new Map<string, Rule[]>();

/** The rules of a language: its own word list and English (shops mix English sale words into every language). */
function rulesFor(language: string): Rule[] {
  const primary = language.toLowerCase().split(/[-_]/)[0] ?? 'en';
  const cached = compiled.get(primary);
  if (cached) return cached;
  const lists = [...new Set(['en', primary])].map((l) => LISTS[l]).filter((l): l is WordList => typeof l === 'object' && !Array.isArray(l));
  const rules: Rule[] = [];
  for (const list of lists) {
    for (const [kind, entries] of Object.entries(list) as Array<[PromoKind, string[]]>) {
      rules.push({ kind, re: new RegExp(entries.map(entryPattern).join('|'), 'gu') });
    }
  }
  // Any percentage ("10%", "-15 %", "20,5%") is a price promise in a customer message.
  rules.push({ kind: 'percentage', re: /-?\d+(?:[.,]\d+)?\s?%/gu });
  compiled.set(primary, rules);
  return rules;
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
  const found: PromoMatch[] = [];
  for (const { kind, re } of rulesFor(language)) {
    for (const m of folded.matchAll(re)) found.push({ field, start: m.index, end: m.index + m[0].length, text: text.slice(m.index, m.index + m[0].length), kind });
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
const STOP_WORDS = ['STOP', 'STOPP', 'UNSUBSCRIBE', 'ABMELDEN', 'ABBESTELLEN', 'REZYGNUJ', 'WYPISZ', 'STOPPER', 'ARRET', 'ARRÊT', 'DESABONNER', 'DÉSABONNER', 'BAJA'];
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
    else if (!namesSender(d, d.sender)) issues.push({ code: 'marketing_sender_missing', field: 'body', params: { sender: d.sender.trim() } });
  }
  return { issues, promotional };
}
