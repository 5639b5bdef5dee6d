import { describe, expect, it } from 'vitest';
import type { TemplateDraft } from './template-rules';
import { checkTemplate, fillExamples, variablesOf } from './template-rules';

const base: TemplateDraft = {
  name: 'order_shipped',
  category: 'transactional',
  language: 'en',
  header: null,
  headerExample: null,
  body: 'Hello {{1}}, your order {{2}} is on its way.',
  footer: null,
  buttons: [],
  examples: ['Anna', 'A-1001'],
};

const codes = (d: Partial<TemplateDraft>) => checkTemplate({ ...base, ...d }).map((i) => i.code);
const qr = (text: string) => ({ type: 'quick_reply' as const, text });
const url = (text: string, u = 'https://example.com/orders/1') => ({ type: 'url' as const, text, url: u });
const phone = (text: string, p = '+48600100200') => ({ type: 'phone_number' as const, text, phoneNumber: p });

describe('checkTemplate', () => {
  it('accepts a well-formed template', () => {
    expect(checkTemplate(base)).toEqual([]);
  });

  it.each<[string, Partial<TemplateDraft>, string | null]>([
    // name: lowercase letters, digits and _, at most 512
    ['name with digits and underscores', { name: 'order_2_shipped' }, null],
    ['empty name', { name: '' }, 'name_required'],
    ['name with capitals', { name: 'Order_shipped' }, 'name_format'],
    ['name with a hyphen', { name: 'order-shipped' }, 'name_format'],
    ['name with a space', { name: 'order shipped' }, 'name_format'],
    ['name of 512 characters', { name: 'a'.repeat(512) }, null],
    ['name of 513 characters', { name: 'a'.repeat(513) }, 'name_too_long'],
    // language
    ['language pl', { language: 'pl' }, null],
    ['language en_US', { language: 'en_US' }, null],
    ['language "English"', { language: 'English' }, 'language_format'],
    // header: at most 60 characters, at most one variable with an example
    ['header of 60 characters', { header: 'h'.repeat(60) }, null],
    ['header of 61 characters', { header: 'h'.repeat(61) }, 'header_too_long'],
    ['header of 60 Polish letters', { header: 'ż'.repeat(60) }, null],
    ['header with one variable and example', { header: 'Order {{1}}', headerExample: 'A-1' }, null],
    ['header variable without example', { header: 'Order {{1}}' }, 'header_example_missing'],
    ['header with two variables', { header: 'Order {{1}} {{2}}', headerExample: 'A' }, 'header_variables'],
    ['header variable not {{1}}', { header: 'Order {{2}}', headerExample: 'A' }, 'header_variable_number'],
    ['header with a line break', { header: 'Order\nshipped' }, 'header_formatting'],
    ['header with an emoji', { header: 'Shipped 🚚' }, 'header_formatting'],
    // body: required, at most 1,024 characters
    ['empty body', { body: '   ', examples: [] }, 'body_required'],
    ['body of 1,024 characters', { body: 'b'.repeat(1024), examples: [] }, null],
    ['body of 1,025 characters', { body: 'b'.repeat(1025), examples: [] }, 'body_too_long'],
    ['body with more than two blank lines', { body: 'Hi\n\n\nthere', examples: [] }, 'body_blank_lines'],
    // variables: in order, each with an example, not at the very start or end
    ['variables out of order', { body: 'Hi {{2}} and {{1}} ok', examples: ['a', 'b'] }, 'variables_order'],
    ['variable numbers skip one', { body: 'Hi {{1}} and {{3}} ok', examples: ['a', 'b', 'c'] }, 'variables_order'],
    ['variable used twice', { body: 'Hi {{1}}, yes {{1}} ok', examples: ['a'] }, null],
    ['variable at the very start', { body: '{{1}}, your order is here', examples: ['Anna'] }, 'variable_at_start'],
    ['variable at the start after spaces', { body: '  {{1}}, your order is here', examples: ['Anna'] }, 'variable_at_start'],
    ['variable at the very end', { body: 'Your order number is {{1}}', examples: ['A-1'] }, 'variable_at_end'],
    ['variable at the end before a full stop', { body: 'Your order number is {{1}}.', examples: ['A-1'] }, 'variable_at_end'],
    ['example missing', { examples: ['Anna'] }, 'example_missing'],
    ['example blank', { examples: ['Anna', '  '] }, 'example_missing'],
    ['example too long', { examples: ['Anna', 'x'.repeat(201)] }, 'example_too_long'],
    ['malformed variable with spaces', { body: 'Hi {{ 1 }}, ok', examples: [] }, 'variable_malformed'],
    ['named variable', { body: 'Hi {{name}}, ok', examples: [] }, 'variable_malformed'],
    ['single braces', { body: 'Hi {1}, ok', examples: [] }, 'variable_malformed'],
    // footer: at most 60, no variables
    ['footer of 60 characters', { footer: 'f'.repeat(60) }, null],
    ['footer of 61 characters', { footer: 'f'.repeat(61) }, 'footer_too_long'],
    ['footer with a variable', { footer: 'Shop {{1}}' }, 'footer_variables'],
    // buttons: at most 10, 2 URL, 1 phone, quick replies together, labels at most 25
    ['ten quick replies', { buttons: Array.from({ length: 10 }, (_, i) => qr(`Reply ${i}`)) }, null],
    ['eleven buttons', { buttons: Array.from({ length: 11 }, (_, i) => qr(`Reply ${i}`)) }, 'buttons_too_many'],
    ['two URL buttons', { buttons: [url('Track'), url('Return')] }, null],
    ['three URL buttons', { buttons: [url('A'), url('B'), url('C')] }, 'url_buttons_too_many'],
    ['one phone button', { buttons: [phone('Call us')] }, null],
    ['two phone buttons', { buttons: [phone('Call'), phone('Call again')] }, 'phone_buttons_too_many'],
    ['quick replies grouped before a URL', { buttons: [qr('Yes'), qr('No'), url('Track')] }, null],
    ['quick replies grouped after a URL', { buttons: [url('Track'), qr('Yes'), qr('No')] }, null],
    ['quick replies split by a URL', { buttons: [qr('Yes'), url('Track'), qr('No')] }, 'quick_replies_apart'],
    ['label of 25 characters', { buttons: [qr('l'.repeat(25))] }, null],
    ['label of 26 characters', { buttons: [qr('l'.repeat(26))] }, 'button_label_too_long'],
    ['empty label', { buttons: [qr(' ')] }, 'button_label_required'],
    ['URL without https', { buttons: [url('Track', 'http://example.com/x')] }, 'button_url'],
    ['URL that is not one', { buttons: [url('Track', 'example')] }, 'button_url'],
    ['phone not in E.164', { buttons: [phone('Call', '600 100 200')] }, 'button_phone'],
  ])('%s', (_label, draft, expected) => {
    const found = codes(draft);
    if (expected === null) expect(found).toEqual([]);
    else expect(found).toContain(expected);
  });

  it('says where a field is too long and by how much', () => {
    expect(checkTemplate({ ...base, footer: 'f'.repeat(70) })).toContainEqual({
      code: 'footer_too_long',
      field: 'footer',
      params: { max: 60, length: 70 },
    });
  });

  it('names the missing example', () => {
    expect(checkTemplate({ ...base, examples: ['Anna'] })).toContainEqual({
      code: 'example_missing',
      field: 'examples',
      params: { variable: '{{2}}' },
    });
  });
});

describe('variables', () => {
  it('lists them in order of appearance', () => {
    expect(variablesOf('a {{2}} b {{1}} c {{2}}')).toEqual([2, 1, 2]);
  });
  it('fills examples and leaves the others', () => {
    expect(fillExamples('Hi {{1}}, order {{2}} {{3}}', ['Anna', ' A-1 '])).toBe('Hi Anna, order A-1 {{3}}');
  });
});
