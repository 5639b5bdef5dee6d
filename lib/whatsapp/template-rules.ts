// Meta's limits for a WhatsApp message template (PRODUCT.md), checked as the seller types and again on save.
import type { TemplateButton } from '@/db/schema';

export type { TemplateButton };
export type DraftCategory = 'transactional' | 'marketing';

/** What the checks read of a draft. `examples` are the body variables' examples, `{{1}}` first. */
export type TemplateDraft = {
  name: string;
  category: DraftCategory;
  language: string;
  header: string | null;
  headerExample: string | null;
  body: string;
  footer: string | null;
  buttons: TemplateButton[];
  examples: string[];
};

export const LIMITS = {
  name: 512,
  header: 60,
  headerVariables: 1,
  body: 1024,
  footer: 60,
  buttons: 10,
  urlButtons: 2,
  phoneButtons: 1,
  buttonLabel: 25,
  example: 200,
} as const;

export type IssueField = 'name' | 'language' | 'header' | 'body' | 'footer' | 'buttons' | 'examples' | 'category';

/** One finding: a code the UI translates, the field it belongs to, and values for the message. */
export type Issue = { code: string; field: IssueField; params?: Record<string, string | number> };

const VARIABLE = /\{\{(\d+)\}\}/g;
/** Anything that looks like a variable but is not `{{n}}`: `{{ 1 }}`, `{{name}}`, `{1}`. */
const MALFORMED = /\{\{(?!\d+\}\})[^{}]*\}\}|(?<!\{)\{\d+\}(?!\})/;

/** The variable numbers in order of appearance. */
export function variablesOf(text: string): number[] {
  return [...text.matchAll(VARIABLE)].map((m) => Number(m[1]));
}

/** How many body variables the draft has: the highest number used. */
export function bodyVariableCount(body: string): number {
  return Math.max(0, ...variablesOf(body));
}

/** The text with each `{{n}}` replaced by its example (or left as is when there is none). */
export function fillExamples(text: string, examples: readonly (string | null | undefined)[]): string {
  return text.replace(VARIABLE, (whole, n: string) => examples[Number(n) - 1]?.trim() || whole);
}

const chars = (s: string) => [...s].length;

function checkName(d: TemplateDraft, out: Issue[]) {
  if (d.name.length === 0) out.push({ code: 'name_required', field: 'name' });
  else if (!/^[a-z0-9_]+$/.test(d.name)) out.push({ code: 'name_format', field: 'name' });
  if (d.name.length > LIMITS.name) out.push({ code: 'name_too_long', field: 'name', params: { max: LIMITS.name, length: d.name.length } });
}

function checkLanguage(d: TemplateDraft, out: Issue[]) {
  if (!/^[a-z]{2,3}(_[A-Z]{2})?$/.test(d.language)) out.push({ code: 'language_format', field: 'language' });
}

function checkHeader(d: TemplateDraft, out: Issue[]) {
  if (!d.header) return;
  if (chars(d.header) > LIMITS.header)
    out.push({ code: 'header_too_long', field: 'header', params: { max: LIMITS.header, length: chars(d.header) } });
  if (MALFORMED.test(d.header)) out.push({ code: 'variable_malformed', field: 'header' });
  const vars = variablesOf(d.header);
  if (vars.length > LIMITS.headerVariables)
    out.push({ code: 'header_variables', field: 'header', params: { max: LIMITS.headerVariables } });
  else if (vars.length === 1 && vars[0] !== 1) out.push({ code: 'header_variable_number', field: 'header' });
  else if (vars.length === 1 && !d.headerExample?.trim()) out.push({ code: 'header_example_missing', field: 'header' });
  if (/[\n*_~]/.test(d.header) || /\p{Extended_Pictographic}/u.test(d.header)) out.push({ code: 'header_formatting', field: 'header' });
}

function checkBody(d: TemplateDraft, out: Issue[]) {
  const body = d.body;
  if (body.trim().length === 0) {
    out.push({ code: 'body_required', field: 'body' });
    return;
  }
  if (chars(body) > LIMITS.body) out.push({ code: 'body_too_long', field: 'body', params: { max: LIMITS.body, length: chars(body) } });
  if (MALFORMED.test(body)) out.push({ code: 'variable_malformed', field: 'body' });
  const vars = variablesOf(body);
  const firstSeen = [...new Set(vars)];
  const inOrder = firstSeen.every((n, i) => n === i + 1);
  if (!inOrder)
    out.push({ code: 'variables_order', field: 'body', params: { expected: firstSeen.map((_, i) => `{{${i + 1}}}`).join(', ') } });
  const trimmed = body.trim();
  if (/^\{\{\d+\}\}/.test(trimmed)) out.push({ code: 'variable_at_start', field: 'body' });
  if (/\{\{\d+\}\}[.!?,;:]?$/.test(trimmed)) out.push({ code: 'variable_at_end', field: 'body' });
  const count = bodyVariableCount(body);
  for (let n = 1; n <= count; n++) {
    const example = d.examples[n - 1]?.trim() ?? '';
    if (!example) out.push({ code: 'example_missing', field: 'examples', params: { variable: `{{${n}}}` } });
    else if (chars(example) > LIMITS.example)
      out.push({ code: 'example_too_long', field: 'examples', params: { variable: `{{${n}}}`, max: LIMITS.example } });
  }
  if (/\n{3,}/.test(body)) out.push({ code: 'body_blank_lines', field: 'body' });
}

function checkFooter(d: TemplateDraft, out: Issue[]) {
  if (!d.footer) return;
  if (chars(d.footer) > LIMITS.footer)
    out.push({ code: 'footer_too_long', field: 'footer', params: { max: LIMITS.footer, length: chars(d.footer) } });
  if (/\{\{[^}]*\}\}/.test(d.footer)) out.push({ code: 'footer_variables', field: 'footer' });
}

function checkButtons(d: TemplateDraft, out: Issue[]) {
  const b = d.buttons;
  if (b.length > LIMITS.buttons) out.push({ code: 'buttons_too_many', field: 'buttons', params: { max: LIMITS.buttons } });
  const urls = b.filter((x) => x.type === 'url').length;
  if (urls > LIMITS.urlButtons) out.push({ code: 'url_buttons_too_many', field: 'buttons', params: { max: LIMITS.urlButtons } });
  const phones = b.filter((x) => x.type === 'phone_number').length;
  if (phones > LIMITS.phoneButtons) out.push({ code: 'phone_buttons_too_many', field: 'buttons', params: { max: LIMITS.phoneButtons } });
  // Quick replies sit together: once another kind follows them, no quick reply may come after.
  const quick = b.map((x) => x.type === 'quick_reply');
  const first = quick.indexOf(true);
  const last = quick.lastIndexOf(true);
  if (first >= 0 && quick.slice(first, last + 1).includes(false)) out.push({ code: 'quick_replies_apart', field: 'buttons' });
  b.forEach((button, i) => {
    const position = i + 1;
    if (!button.text.trim()) out.push({ code: 'button_label_required', field: 'buttons', params: { position } });
    else if (chars(button.text) > LIMITS.buttonLabel)
      out.push({ code: 'button_label_too_long', field: 'buttons', params: { position, max: LIMITS.buttonLabel } });
    if (button.type === 'url' && !/^https:\/\/[^\s/$.?#][^\s]*$/i.test(button.url))
      out.push({ code: 'button_url', field: 'buttons', params: { position } });
    if (button.type === 'phone_number' && !/^\+[1-9]\d{6,14}$/.test(button.phoneNumber))
      out.push({ code: 'button_phone', field: 'buttons', params: { position } });
  });
}

/** Every limit of Meta's template rules the draft breaks; empty when WhatsApp would accept its form. */
export function checkTemplate(d: TemplateDraft): Issue[] {
  const out: Issue[] = [];
  checkName(d, out);
  checkLanguage(d, out);
  checkHeader(d, out);
  checkBody(d, out);
  checkFooter(d, out);
  checkButtons(d, out);
  return out;
}
