// Webhook bodies shaped like the ones Meta sends, for tests, the local sender script and the load test.

type Message =
  | { type: 'text'; text: string }
  | { type: 'button'; text: string; payload?: string }
  | { type: 'interactive'; title: string; id?: string }
  | { type: 'image'; caption?: string }
  | { type: 'audio' };

const envelope = (field: string, value: Record<string, unknown>) => ({
  object: 'whatsapp_business_account',
  entry: [
    {
      id: '102290129340398',
      changes: [
        {
          field,
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
            ...value,
          },
        },
      ],
    },
  ],
});

/** An inbound message from `phone` (E.164 or digits) with the given wamid and time. */
export function inboundMessage(phone: string, message: Message, opts: { id: string; at: Date; name?: string }) {
  const from = phone.replace(/\D/g, '');
  const base = { from, id: opts.id, timestamp: String(Math.floor(opts.at.getTime() / 1000)), type: message.type };
  const body =
    message.type === 'text'
      ? { ...base, text: { body: message.text } }
      : message.type === 'button'
        ? {
            ...base,
            context: { from: '15550783881', id: 'wamid.HBgLMTU1NTA3ODM4ODEVAgARGBI' },
            button: { payload: message.payload ?? message.text, text: message.text },
          }
        : message.type === 'interactive'
          ? { ...base, interactive: { type: 'button_reply', button_reply: { id: message.id ?? 'stop', title: message.title } } }
          : message.type === 'audio'
            ? { ...base, audio: { mime_type: 'audio/ogg; codecs=opus', sha256: 'def', id: '5678', voice: true } }
            : {
                ...base,
                image: { mime_type: 'image/jpeg', sha256: 'abc', id: '1234', ...(message.caption ? { caption: message.caption } : {}) },
              };
  return envelope('messages', { contacts: [{ profile: { name: opts.name ?? 'Kerry Fisher' }, wa_id: from }], messages: [body] });
}

/** WhatsApp's own marketing messages setting switched to stop or resume. */
export function userPreference(phone: string, value: 'stop' | 'resume', at: Date) {
  const waId = phone.replace(/\D/g, '');
  return envelope('user_preferences', {
    contacts: [{ profile: { name: 'Kerry Fisher' }, wa_id: waId }],
    user_preferences: [
      {
        wa_id: waId,
        detail: 'User requested to stop marketing messages',
        category: 'marketing_messages',
        value,
        timestamp: Math.floor(at.getTime() / 1000),
      },
    ],
  });
}

/** A delivery status: nothing to record. */
export function deliveryStatus(phone: string, at: Date) {
  return envelope('messages', {
    statuses: [
      {
        id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDNEQ4',
        status: 'delivered',
        timestamp: String(Math.floor(at.getTime() / 1000)),
        recipient_id: phone.replace(/\D/g, ''),
      },
    ],
  });
}
