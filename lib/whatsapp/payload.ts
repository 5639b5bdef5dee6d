// The WhatsApp Cloud API webhook body, read into the few intents Zgoda acts on: keyword replies and the marketing
// messages setting. Everything else (statuses, media, reactions) is accepted and ignored.
import { z } from 'zod';
import type { KeywordIntent } from './keywords';
import { matchKeyword } from './keywords';

const digits = z.string().regex(/^[1-9]\d{6,14}$/);
const unixSeconds = z.string().regex(/^\d{1,12}$/);

const messageSchema = z.object({
  from: digits,
  id: z.string().min(1).max(256),
  timestamp: unixSeconds,
  type: z.string().min(1),
  text: z.object({ body: z.string() }).optional(),
  button: z.object({ payload: z.string().optional(), text: z.string().optional() }).optional(),
  interactive: z
    .object({
      type: z.string().optional(),
      button_reply: z.object({ id: z.string(), title: z.string() }).optional(),
      list_reply: z.object({ id: z.string(), title: z.string() }).optional(),
    })
    .optional(),
});

const preferenceSchema = z.object({
  wa_id: digits,
  category: z.string(),
  value: z.string(),
  timestamp: z.union([unixSeconds, z.number().int().nonnegative()]),
});

const valueSchema = z.object({
  messaging_product: z.string().optional(),
  metadata: z.object({ phone_number_id: z.string().optional(), display_phone_number: z.string().optional() }).optional(),
  contacts: z.array(z.object({ wa_id: z.string().optional(), profile: z.object({ name: z.string().optional() }).optional() })).optional(),
  messages: z.array(messageSchema).optional(),
  user_preferences: z.array(preferenceSchema).optional(),
  statuses: z.array(z.object({ id: z.string(), status: z.string() })).optional(),
});

export const webhookSchema = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z
    .array(
      z.object({
        id: z.string().optional(),
        changes: z.array(z.object({ field: z.string(), value: z.record(z.string(), z.unknown()) })),
      }),
    )
    .min(1),
});

/** One thing a customer did that changes consent. */
export type InboundIntent =
  | { type: 'keyword'; intent: KeywordIntent; phone: string; messageId: string; occurredAt: Date; text: string }
  | { type: 'preference'; intent: KeywordIntent; phone: string; occurredAt: Date; value: string };

export type ParseResult = { ok: true; intents: InboundIntent[] } | { ok: false; error: string };

const toDate = (seconds: string | number) => new Date(Number(seconds) * 1000);

/** The words of a message that could be a keyword: a text body, a quick reply's text or payload, an interactive reply's title or id. */
function candidateTexts(m: z.infer<typeof messageSchema>): string[] {
  switch (m.type) {
    case 'text':
      return m.text ? [m.text.body] : [];
    case 'button':
      return [m.button?.text, m.button?.payload].filter((s): s is string => Boolean(s));
    case 'interactive': {
      const reply = m.interactive?.button_reply ?? m.interactive?.list_reply;
      return reply ? [reply.title, reply.id] : [];
    }
    default:
      return [];
  }
}

/** Parses a webhook body (already JSON-decoded); an unexpected shape is an error, unknown kinds of message are not. */
export function parseWebhook(body: unknown): ParseResult {
  const parsed = webhookSchema.safeParse(body);
  if (!parsed.success) return { ok: false, error: 'unexpected shape' };
  const intents: InboundIntent[] = [];
  for (const entry of parsed.data.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'messages' && change.field !== 'user_preferences') continue;
      const value = valueSchema.safeParse(change.value);
      if (!value.success) return { ok: false, error: 'unexpected shape' };
      for (const m of value.data.messages ?? []) {
        for (const text of candidateTexts(m)) {
          const intent = matchKeyword(text);
          if (!intent) continue;
          intents.push({ type: 'keyword', intent, phone: `+${m.from}`, messageId: m.id, occurredAt: toDate(m.timestamp), text });
          break;
        }
      }
      for (const p of value.data.user_preferences ?? []) {
        if (p.category !== 'marketing_messages') continue;
        const v = p.value.toLowerCase();
        const intent = v === 'stop' ? 'stop' : v === 'resume' ? 'resume' : null;
        if (intent) intents.push({ type: 'preference', intent, phone: `+${p.wa_id}`, occurredAt: toDate(p.timestamp), value: v });
      }
    }
  }
  return { ok: true, intents };
}
