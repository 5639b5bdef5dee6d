import { describe, expect, it } from 'vitest';
import { parseWebhook } from './payload';
import { deliveryStatus, inboundMessage, userPreference } from './samples';

const at = new Date('2026-03-01T10:00:00Z');
const phone = '+4915112345678';

describe('parseWebhook', () => {
  it('reads a STOP text message', () => {
    expect(parseWebhook(inboundMessage(phone, { type: 'text', text: 'Stop' }, { id: 'wamid.A', at }))).toEqual({
      ok: true,
      intents: [{ type: 'keyword', intent: 'stop', phone, messageId: 'wamid.A', occurredAt: at, text: 'Stop' }],
    });
  });
  it('reads a quick reply button', () => {
    const result = parseWebhook(inboundMessage(phone, { type: 'button', text: 'Stop promotions' }, { id: 'wamid.B', at }));
    expect(result).toMatchObject({ ok: true, intents: [{ type: 'keyword', intent: 'stop', messageId: 'wamid.B', text: 'Stop promotions' }] });
  });
  it('reads a button whose payload is the keyword', () => {
    const result = parseWebhook(inboundMessage(phone, { type: 'button', text: 'Keine Werbung mehr', payload: 'STOP' }, { id: 'wamid.B2', at }));
    expect(result).toMatchObject({ ok: true, intents: [{ intent: 'stop', text: 'STOP' }] });
  });
  it('reads an interactive button reply', () => {
    const result = parseWebhook(inboundMessage(phone, { type: 'interactive', title: 'Abmelden', id: 'opt_out' }, { id: 'wamid.C', at }));
    expect(result).toMatchObject({ ok: true, intents: [{ type: 'keyword', intent: 'stop', text: 'Abmelden' }] });
  });
  it('reads a resume keyword', () => {
    expect(parseWebhook(inboundMessage(phone, { type: 'text', text: 'tak' }, { id: 'wamid.D', at }))).toMatchObject({ ok: true, intents: [{ intent: 'resume' }] });
  });
  it('ignores other text, media and delivery statuses', () => {
    expect(parseWebhook(inboundMessage(phone, { type: 'text', text: 'stop please' }, { id: 'wamid.E', at }))).toEqual({ ok: true, intents: [] });
    expect(parseWebhook(inboundMessage(phone, { type: 'image' }, { id: 'wamid.F', at }))).toEqual({ ok: true, intents: [] });
    expect(parseWebhook(deliveryStatus(phone, at))).toEqual({ ok: true, intents: [] });
  });
  it('reads the marketing messages setting', () => {
    expect(parseWebhook(userPreference(phone, 'stop', at))).toEqual({ ok: true, intents: [{ type: 'preference', intent: 'stop', phone, occurredAt: at, value: 'stop' }] });
    expect(parseWebhook(userPreference(phone, 'resume', at))).toMatchObject({ ok: true, intents: [{ type: 'preference', intent: 'resume' }] });
  });
  it.each([
    ['not an object', 'STOP'],
    ['another object', { object: 'page', entry: [{ changes: [] }] }],
    ['no entries', { object: 'whatsapp_business_account', entry: [] }],
    ['changes not a list', { object: 'whatsapp_business_account', entry: [{ changes: {} }] }],
    ['message without sender', { object: 'whatsapp_business_account', entry: [{ changes: [{ field: 'messages', value: { messages: [{ id: 'x', timestamp: '1', type: 'text' }] } }] }] }],
    ['sender not digits', { object: 'whatsapp_business_account', entry: [{ changes: [{ field: 'messages', value: { messages: [{ from: '+49 151', id: 'x', timestamp: '1', type: 'text', text: { body: 'STOP' } }] } }] }] }],
  ])('refuses %s', (_label, body) => {
    expect(parseWebhook(body)).toMatchObject({ ok: false });
  });
});
