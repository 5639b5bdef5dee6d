// Bodies of WhatsApp Cloud API calls: "create message template" for a draft, "send message" per recipient.
import type { TemplateDraft } from './template-rules';
import { bodyVariableCount } from './template-rules';

export const CLOUD_CATEGORY = { transactional: 'UTILITY', marketing: 'MARKETING' } as const;

/**
 * The customer fields a body variable can be filled from; 'example' sends the example text to everyone, and
 * 'preference_link' the customer's own preference centre address, so that a message can carry its way out.
 */
export const VARIABLE_FIELDS = ['example', 'first_name', 'last_name', 'full_name', 'external_id', 'preference_link'] as const;
export type VariableField = (typeof VARIABLE_FIELDS)[number];

export type Recipient = {
  phone: string;
  firstName: string | null;
  lastName: string | null;
  externalId: string | null;
  /**
   * The customer's preference centre address (lib/preferences/links.ts); null only when no variable asks for it. Not
   * optional, so that every sender of messages builds it rather than send the example link to everyone.
   */
  preferenceLink: string | null;
};

type Component = Record<string, unknown>;

/** The JSON body of POST /{waba-id}/message_templates for the draft. */
export function templateCreateBody(d: TemplateDraft) {
  const components: Component[] = [];
  if (d.header) {
    components.push({
      type: 'HEADER',
      format: 'TEXT',
      text: d.header,
      ...(d.header.includes('{{1}}') && d.headerExample ? { example: { header_text: [d.headerExample] } } : {}),
    });
  }
  const count = bodyVariableCount(d.body);
  components.push({
    type: 'BODY',
    text: d.body,
    ...(count > 0 ? { example: { body_text: [Array.from({ length: count }, (_, i) => d.examples[i] ?? '')] } } : {}),
  });
  if (d.footer) components.push({ type: 'FOOTER', text: d.footer });
  if (d.buttons.length) {
    components.push({
      type: 'BUTTONS',
      buttons: d.buttons.map((b) =>
        b.type === 'quick_reply'
          ? { type: 'QUICK_REPLY', text: b.text }
          : b.type === 'url'
            ? { type: 'URL', text: b.text, url: b.url }
            : { type: 'PHONE_NUMBER', text: b.text, phone_number: b.phoneNumber },
      ),
    });
  }
  return { name: d.name, language: d.language, category: CLOUD_CATEGORY[d.category], components };
}

function fieldValue(r: Recipient, field: string | undefined): string | null {
  switch (field) {
    case 'first_name':
      return r.firstName;
    case 'last_name':
      return r.lastName;
    case 'full_name':
      return [r.firstName, r.lastName].filter(Boolean).join(' ');
    case 'external_id':
      return r.externalId;
    case 'preference_link':
      return r.preferenceLink ?? null;
    default:
      return null;
  }
}

/**
 * The JSON body of POST /{phone-number-id}/messages for one recipient. A variable bound to a customer field the
 * customer lacks gets the example text, which the editor says is the fallback.
 */
export function sendBody(
  d: Pick<TemplateDraft, 'name' | 'language' | 'header' | 'headerExample' | 'body' | 'examples'>,
  fields: readonly string[],
  r: Recipient,
) {
  const components: Component[] = [];
  if (d.header?.includes('{{1}}')) components.push({ type: 'header', parameters: [{ type: 'text', text: d.headerExample ?? '' }] });
  const count = bodyVariableCount(d.body);
  if (count > 0) {
    components.push({
      type: 'body',
      parameters: Array.from({ length: count }, (_, i) => ({
        type: 'text',
        text: fieldValue(r, fields[i])?.trim() || (d.examples[i] ?? ''),
      })),
    });
  }
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: r.phone.replace(/\D/g, ''),
    type: 'template',
    template: { name: d.name, language: { code: d.language }, ...(components.length ? { components } : {}) },
  };
}
