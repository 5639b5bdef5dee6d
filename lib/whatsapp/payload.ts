// The WhatsApp Cloud API webhook body, read into the intents Zgoda acts on: keyword replies, replies to review and the
// marketing messages setting; and, apart, the delivery statuses of the messages Zgoda sent. Everything else (media,
// reactions, innocent text) is accepted and counted.
import { z } from '@/lib/zod';
import type { Classification } from './classify';
import { classifyReply } from './classify';
import type { MessageStatus } from '@/lib/campaigns/statuses';

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
  // A photo, video or document may carry the customer's words as its caption.
  image: z.object({ caption: z.string().optional() }).optional(),
  video: z.object({ caption: z.string().optional() }).optional(),
  document: z.object({ caption: z.string().optional() }).optional(),
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
  statuses: z.array(z.unknown()).optional(),
});

const statusSchema = z.object({
  id: z.string().min(1).max(256),
  status: z.enum(['sent', 'delivered', 'read', 'failed']),
  timestamp: z.union([unixSeconds, z.number().int().nonnegative()]),
  recipient_id: z.string().regex(/^\d{4,20}$/),
  errors: z
    .array(
      z.object({
        code: z.number().int(),
        title: z.string().optional(),
        message: z.string().optional(),
        error_data: z.object({ details: z.string().optional() }).optional(),
      }),
    )
    .optional(),
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

/** A withdrawal or a resume. */
export type ConsentIntent = 'stop' | 'resume';

/**
 * One thing a customer did that changes consent, or a reply a person has to read. A keyword stop with marketingOnly
 * is Meta's "Stop promotions": it withdraws marketing whatever the STOP setting says.
 */
export type InboundIntent =
  | { type: 'keyword'; intent: ConsentIntent; marketingOnly?: true; phone: string; messageId: string; occurredAt: Date; text: string }
  | { type: 'review'; intent: 'review'; phone: string; messageId: string; occurredAt: Date; text: string; cue: string }
  | { type: 'preference'; intent: ConsentIntent; phone: string; occurredAt: Date; value: string }
  /** Meta refused or failed a message of ours with 131050: the user stopped marketing messages from this business. */
  | {
      type: 'send_error';
      intent: 'stop';
      phone: string;
      /** The wamid when a failed status carried the error; otherwise which campaign recipient the call was for. */
      messageId?: string;
      reference: string;
      occurredAt: Date;
      code: number;
      title: string;
      detail?: string;
    };

/** ignored: messages that ask for nothing (innocent text, media without words, reactions, unsupported types). */
export type ParseResult = { ok: true; intents: InboundIntent[]; ignored: number } | { ok: false; error: string };

const toDate = (seconds: string | number) => new Date(Number(seconds) * 1000);

/**
 * The words of a message that could be a keyword: a text body, a quick reply's text or payload, an interactive reply's
 * title or id, the caption of a photo, video or document.
 */
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
    case 'image':
    case 'video':
    case 'document': {
      const caption = m[m.type]?.caption;
      return caption ? [caption] : [];
    }
    default:
      return [];
  }
}

/**
 * What a message means: the first of its texts that is a keyword (a button's visible text before its payload), else a
 * review when any of them reads like an objection, else none.
 */
function classifyMessage(texts: readonly string[]): { text: string; result: Classification } | null {
  let review: { text: string; result: Classification } | null = null;
  for (const text of texts) {
    const result = classifyReply(text);
    if (result.kind === 'review') review ??= { text, result };
    else if (result.kind !== 'none') return { text, result };
  }
  return review;
}

/** Parses a webhook body (already JSON-decoded); an unexpected shape is an error, unknown kinds of message are not. */
export function parseWebhook(body: unknown): ParseResult {
  const parsed = webhookSchema.safeParse(body);
  if (!parsed.success) return { ok: false, error: 'unexpected shape' };
  const intents: InboundIntent[] = [];
  let ignored = 0;
  for (const entry of parsed.data.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'messages' && change.field !== 'user_preferences') continue;
      const value = valueSchema.safeParse(change.value);
      if (!value.success) return { ok: false, error: 'unexpected shape' };
      for (const m of value.data.messages ?? []) {
        const found = classifyMessage(candidateTexts(m));
        const base = { phone: `+${m.from}`, messageId: m.id, occurredAt: toDate(m.timestamp) };
        // A voice message may be an objection nobody can read: a person listens (empty text marks it in the queue).
        if (m.type === 'audio') intents.push({ type: 'review', intent: 'review', ...base, text: '', cue: '' });
        else if (!found) ignored++;
        else if (found.result.kind === 'review')
          intents.push({ type: 'review', intent: 'review', ...base, text: found.text, cue: found.result.cue ?? '' });
        else if (found.result.kind === 'stop_marketing')
          intents.push({ type: 'keyword', intent: 'stop', marketingOnly: true, ...base, text: found.text });
        else if (found.result.kind === 'stop' || found.result.kind === 'resume')
          intents.push({ type: 'keyword', intent: found.result.kind, ...base, text: found.text });
      }
      for (const p of value.data.user_preferences ?? []) {
        if (p.category !== 'marketing_messages') continue;
        const v = p.value.toLowerCase();
        const intent = v === 'stop' ? 'stop' : v === 'resume' ? 'resume' : null;
        if (intent) intents.push({ type: 'preference', intent, phone: `+${p.wa_id}`, occurredAt: toDate(p.timestamp), value: v });
      }
    }
  }
  return { ok: true, intents, ignored };
}

/**
 * The delivery statuses of a webhook body (already JSON-decoded and accepted by parseWebhook). A status of another
 * kind (Meta adds some: deleted, warning) or one that cannot be read is left out, so that it cannot cost the replies
 * in the same POST their recording; Meta's retries of the same status are for the receiver to take once.
 */
export function parseStatuses(body: unknown): MessageStatus[] {
  const parsed = webhookSchema.safeParse(body);
  if (!parsed.success) return [];
  const out: MessageStatus[] = [];
  for (const entry of parsed.data.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'messages' || !Array.isArray(change.value.statuses)) continue;
      for (const raw of change.value.statuses) {
        const s = statusSchema.safeParse(raw);
        if (!s.success) continue;
        const errors = s.data.errors?.map((e) => ({
          code: e.code,
          title: e.title ?? e.message ?? `Error ${e.code}`,
          ...(e.error_data?.details ? { detail: e.error_data.details } : {}),
        }));
        out.push({
          messageId: s.data.id,
          status: s.data.status,
          at: toDate(s.data.timestamp),
          recipient: s.data.recipient_id,
          ...(errors?.length ? { errors } : {}),
        });
      }
    }
  }
  return out;
}
