import { describe, expect, it } from 'vitest';
import { parseStatuses, parseWebhook } from './payload';
import { deliveryStatus, inboundMessage, userPreference } from './samples';

const at = new Date('2026-03-01T10:00:00Z');
const phone = '+4915112345678';

describe('parseWebhook', () => {
  it('reads a STOP text message', () => {
    expect(parseWebhook(inboundMessage(phone, { type: 'text', text: 'Stop' }, { id: 'wamid.A', at }))).toEqual({
      ok: true,
      intents: [{ type: 'keyword', intent: 'stop', phone, messageId: 'wamid.A', occurredAt: at, text: 'Stop' }],
      ignored: 0,
    });
  });
  it('reads Meta\'s "Stop promotions" quick reply as a marketing-only stop', () => {
    const result = parseWebhook(inboundMessage(phone, { type: 'button', text: 'Stop promotions' }, { id: 'wamid.B', at }));
    expect(result).toMatchObject({
      ok: true,
      intents: [{ type: 'keyword', intent: 'stop', marketingOnly: true, messageId: 'wamid.B', text: 'Stop promotions' }],
    });
  });
  it.each([
    ['text', { type: 'text', text: 'Werbung stoppen' }],
    ['interactive reply', { type: 'interactive', title: 'Zatrzymaj promocje', id: 'stop_promotions' }],
    ['button payload', { type: 'button', text: 'Nein danke', payload: 'STOP_PROMOTIONS' }],
  ] as const)('reads "Stop promotions" as a %s', (_label, message) => {
    expect(parseWebhook(inboundMessage(phone, message, { id: 'wamid.SP', at }))).toMatchObject({
      ok: true,
      intents: [{ intent: 'stop', marketingOnly: true }],
    });
  });
  it('reads a plain STOP as a stop that follows the setting', () => {
    const result = parseWebhook(inboundMessage(phone, { type: 'text', text: 'STOP' }, { id: 'wamid.P', at }));
    expect(result.ok && result.intents[0]).not.toHaveProperty('marketingOnly');
  });
  it('reads a button whose payload is the keyword', () => {
    const result = parseWebhook(
      inboundMessage(phone, { type: 'button', text: 'Keine Werbung mehr', payload: 'STOP' }, { id: 'wamid.B2', at }),
    );
    expect(result).toMatchObject({ ok: true, intents: [{ intent: 'stop', text: 'STOP' }] });
  });
  it('reads an interactive button reply', () => {
    const result = parseWebhook(inboundMessage(phone, { type: 'interactive', title: 'Abmelden', id: 'opt_out' }, { id: 'wamid.C', at }));
    expect(result).toMatchObject({ ok: true, intents: [{ type: 'keyword', intent: 'stop', text: 'Abmelden' }] });
  });
  it('reads START as the resume keyword, and a yes-word as nothing', () => {
    expect(parseWebhook(inboundMessage(phone, { type: 'text', text: 'START' }, { id: 'wamid.D', at }))).toMatchObject({
      ok: true,
      intents: [{ intent: 'resume' }],
    });
    expect(parseWebhook(inboundMessage(phone, { type: 'text', text: 'tak' }, { id: 'wamid.D2', at }))).toEqual({
      ok: true,
      intents: [],
      ignored: 1,
    });
  });
  it('reads a stop wrapped in a polite word as a stop', () => {
    expect(parseWebhook(inboundMessage(phone, { type: 'text', text: 'stop please' }, { id: 'wamid.E', at }))).toMatchObject({
      ok: true,
      intents: [{ intent: 'stop' }],
    });
  });
  it('reads a reply that sounds like an objection as one to review', () => {
    expect(parseWebhook(inboundMessage(phone, { type: 'text', text: 'Nie piszcie do mnie więcej' }, { id: 'wamid.R', at }))).toEqual({
      ok: true,
      intents: [
        {
          type: 'review',
          intent: 'review',
          phone,
          messageId: 'wamid.R',
          occurredAt: at,
          text: 'Nie piszcie do mnie więcej',
          cue: 'Nie piszcie',
        },
      ],
      ignored: 0,
    });
  });
  it('counts other text and media as ignored, and delivery statuses not at all', () => {
    expect(parseWebhook(inboundMessage(phone, { type: 'text', text: 'Danke, ist angekommen!' }, { id: 'wamid.E2', at }))).toEqual({
      ok: true,
      intents: [],
      ignored: 1,
    });
    expect(parseWebhook(inboundMessage(phone, { type: 'image' }, { id: 'wamid.F', at }))).toEqual({ ok: true, intents: [], ignored: 1 });
    // A voice message may be an objection nobody can read: it waits for a person, with no text.
    expect(parseWebhook(inboundMessage(phone, { type: 'audio' }, { id: 'wamid.V1', at }))).toMatchObject({
      ok: true,
      intents: [{ type: 'review', intent: 'review', messageId: 'wamid.V1', text: '', cue: '' }],
      ignored: 0,
    });
    // A photo's caption is the customer's words like a text.
    expect(parseWebhook(inboundMessage(phone, { type: 'image', caption: 'Danke, Paket ist angekommen' }, { id: 'wamid.F2', at }))).toEqual({
      ok: true,
      intents: [],
      ignored: 1,
    });
    expect(parseWebhook(inboundMessage(phone, { type: 'image', caption: 'STOP' }, { id: 'wamid.F3', at }))).toMatchObject({
      ok: true,
      intents: [{ type: 'keyword', intent: 'stop', text: 'STOP' }],
    });
    expect(
      parseWebhook(inboundMessage(phone, { type: 'image', caption: 'Woher haben Sie meine Nummer?' }, { id: 'wamid.F4', at })),
    ).toMatchObject({
      ok: true,
      intents: [{ type: 'review', cue: 'Woher haben Sie meine Nummer' }],
    });
    expect(parseWebhook(deliveryStatus(phone, at))).toEqual({ ok: true, intents: [], ignored: 0 });
  });
  it('reads the marketing messages setting', () => {
    expect(parseWebhook(userPreference(phone, 'stop', at))).toEqual({
      ok: true,
      intents: [{ type: 'preference', intent: 'stop', phone, occurredAt: at, value: 'stop' }],
      ignored: 0,
    });
    expect(parseWebhook(userPreference(phone, 'resume', at))).toMatchObject({
      ok: true,
      intents: [{ type: 'preference', intent: 'resume' }],
    });
  });
  it.each([
    ['not an object', 'STOP'],
    ['another object', { object: 'page', entry: [{ changes: [] }] }],
    ['no entries', { object: 'whatsapp_business_account', entry: [] }],
    ['changes not a list', { object: 'whatsapp_business_account', entry: [{ changes: {} }] }],
    [
      'message without sender',
      {
        object: 'whatsapp_business_account',
        entry: [{ changes: [{ field: 'messages', value: { messages: [{ id: 'x', timestamp: '1', type: 'text' }] } }] }],
      },
    ],
    [
      'sender not digits',
      {
        object: 'whatsapp_business_account',
        entry: [
          {
            changes: [
              {
                field: 'messages',
                value: { messages: [{ from: '+49 151', id: 'x', timestamp: '1', type: 'text', text: { body: 'STOP' } }] },
              },
            ],
          },
        ],
      },
    ],
  ])('refuses %s', (_label, body) => {
    expect(parseWebhook(body)).toMatchObject({ ok: false });
  });
});

describe('parseStatuses', () => {
  const envelope = (statuses: unknown[]) => ({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '900800700600500',
        changes: [
          {
            field: 'messages',
            value: { messaging_product: 'whatsapp', metadata: { phone_number_id: '100200300400500' }, statuses },
          },
        ],
      },
    ],
  });
  const ts = String(Math.floor(at.getTime() / 1000));

  it('reads sent, delivered, read and failed with Meta errors, in the order they came', () => {
    const body = envelope([
      { id: 'wamid.1', status: 'read', timestamp: ts, recipient_id: '4915112345678' },
      {
        id: 'wamid.1',
        status: 'delivered',
        timestamp: Number(ts) - 5,
        recipient_id: '4915112345678',
        conversation: { id: 'c1', origin: { type: 'marketing' } },
        pricing: { billable: true, pricing_model: 'PMP', category: 'marketing' },
      },
      { id: 'wamid.2', status: 'sent', timestamp: ts, recipient_id: '48600100200' },
      {
        id: 'wamid.3',
        status: 'failed',
        timestamp: ts,
        recipient_id: '48600100201',
        errors: [
          {
            code: 131050,
            title: 'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages',
            message: 'Unable to deliver the message.',
            error_data: { details: 'The user has stopped marketing messages.' },
          },
        ],
      },
    ]);
    expect(parseStatuses(body)).toEqual([
      { messageId: 'wamid.1', status: 'read', at, recipient: '4915112345678' },
      { messageId: 'wamid.1', status: 'delivered', at: new Date(at.getTime() - 5000), recipient: '4915112345678' },
      { messageId: 'wamid.2', status: 'sent', at, recipient: '48600100200' },
      {
        messageId: 'wamid.3',
        status: 'failed',
        at,
        recipient: '48600100201',
        errors: [
          {
            code: 131050,
            title: 'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages',
            detail: 'The user has stopped marketing messages.',
          },
        ],
      },
    ]);
  });

  it('reads the delivery status sample, and leaves out statuses of other kinds or that cannot be read', () => {
    expect(parseStatuses(deliveryStatus(phone, at))).toEqual([
      { messageId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDNEQ4', status: 'delivered', at, recipient: '4915112345678' },
    ]);
    const body = envelope([
      { id: 'wamid.4', status: 'deleted', timestamp: ts, recipient_id: '4915112345678' },
      { id: 'wamid.5', status: 'sent', timestamp: 'yesterday', recipient_id: '4915112345678' },
      { id: 'wamid.6', status: 'sent', timestamp: ts, recipient_id: '+49 151' },
      { status: 'sent', timestamp: ts, recipient_id: '4915112345678' },
      'not an object',
      { id: 'wamid.7', status: 'failed', timestamp: ts, recipient_id: '4915112345678', errors: [{ code: 131026 }] },
    ]);
    expect(parseStatuses(body)).toEqual([
      { messageId: 'wamid.7', status: 'failed', at, recipient: '4915112345678', errors: [{ code: 131026, title: 'Error 131026' }] },
    ]);
    expect(parseWebhook(body)).toEqual({ ok: true, intents: [], ignored: 0 });
  });

  it('finds none in replies, preferences or a body of another shape', () => {
    expect(parseStatuses(inboundMessage(phone, { type: 'text', text: 'STOP' }, { id: 'wamid.S', at }))).toEqual([]);
    expect(parseStatuses(userPreference(phone, 'stop', at))).toEqual([]);
    expect(parseStatuses({ object: 'page', entry: [] })).toEqual([]);
  });
});
