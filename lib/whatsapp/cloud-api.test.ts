import { describe, expect, it } from 'vitest';
import type { TemplateDraft } from './template-rules';
import { sendBody, templateCreateBody } from './cloud-api';

const draft: TemplateDraft = {
  name: 'spring_sale',
  category: 'marketing',
  language: 'pl',
  header: 'Kwiatek {{1}}',
  headerExample: 'wiosna',
  body: 'Cześć {{1}}, nowa kolekcja dla klienta {{2}} już jest.',
  footer: 'Odpisz STOP, aby zrezygnować',
  buttons: [
    { type: 'quick_reply', text: 'Zatrzymaj promocje' },
    { type: 'url', text: 'Sklep', url: 'https://example.pl/sklep' },
    { type: 'phone_number', text: 'Zadzwoń', phoneNumber: '+48600100200' },
  ],
  examples: ['Anna', 'K-1'],
};

describe('Cloud API bodies', () => {
  it('builds the create-template body with examples and buttons', () => {
    expect(templateCreateBody(draft)).toEqual({
      name: 'spring_sale',
      language: 'pl',
      category: 'MARKETING',
      components: [
        { type: 'HEADER', format: 'TEXT', text: 'Kwiatek {{1}}', example: { header_text: ['wiosna'] } },
        { type: 'BODY', text: draft.body, example: { body_text: [['Anna', 'K-1']] } },
        { type: 'FOOTER', text: 'Odpisz STOP, aby zrezygnować' },
        {
          type: 'BUTTONS',
          buttons: [
            { type: 'QUICK_REPLY', text: 'Zatrzymaj promocje' },
            { type: 'URL', text: 'Sklep', url: 'https://example.pl/sklep' },
            { type: 'PHONE_NUMBER', text: 'Zadzwoń', phone_number: '+48600100200' },
          ],
        },
      ],
    });
  });

  it('a transactional draft is a UTILITY template without empty components', () => {
    const body = templateCreateBody({
      ...draft,
      category: 'transactional',
      header: null,
      footer: null,
      buttons: [],
      body: 'Order shipped.',
      examples: [],
    });
    expect(body).toEqual({
      name: 'spring_sale',
      language: 'pl',
      category: 'UTILITY',
      components: [{ type: 'BODY', text: 'Order shipped.' }],
    });
  });

  it.each<[string, { firstName: string | null; externalId: string | null }, string[], string[]]>([
    ['fills variables from customer fields', { firstName: 'Ewa', externalId: 'X-9' }, ['first_name', 'external_id'], ['Ewa', 'X-9']],
    [
      'falls back to the example when the customer lacks the field',
      { firstName: null, externalId: ' ' },
      ['first_name', 'external_id'],
      ['Anna', 'K-1'],
    ],
    [
      "fills the customer's own preference link",
      { firstName: 'Ewa', externalId: null },
      ['first_name', 'preference_link'],
      ['Ewa', 'https://zgoda.example.com/p/abc.def'],
    ],
  ])('%s', (_label, customer, fields, texts) => {
    const body = sendBody(draft, fields, {
      phone: '+48 600 100 200',
      lastName: null,
      preferenceLink: 'https://zgoda.example.com/p/abc.def',
      ...customer,
    });
    expect(body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '48600100200',
      type: 'template',
      template: {
        name: 'spring_sale',
        language: { code: 'pl' },
        components: [
          { type: 'header', parameters: [{ type: 'text', text: 'wiosna' }] },
          { type: 'body', parameters: texts.map((text) => ({ type: 'text', text })) },
        ],
      },
    });
  });
});
