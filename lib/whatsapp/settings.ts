// The WhatsApp Cloud API connection an admin configures: the business phone number, the WhatsApp Business account, the
// access token (sealed with SECRETS_KEY, never shown again) and the Graph API address. Kept in app_settings.
import { eq } from 'drizzle-orm';
import { z } from '@/lib/zod';
import type { Queryable } from '@/db';
import { appSettings } from '@/db/schema';
import { writeAudit } from '@/lib/audit/write';
import { open, seal } from '@/lib/auth/secret-box';
import type { GraphConfig } from './graph';
import { DEFAULT_GRAPH_API_VERSION, DEFAULT_GRAPH_BASE_URL } from './graph';

const KEY = 'whatsapp_connection';
/** Bound into the sealed token: it opens only as this setting. */
const PURPOSE = 'whatsapp_access_token';

const stored = z.object({
  phoneNumberId: z.string(),
  businessAccountId: z.string(),
  baseUrl: z.string(),
  apiVersion: z.string(),
  sealedToken: z.string(),
  tokenEnd: z.string(),
  tokenSavedAt: z.string(),
});
type Stored = z.infer<typeof stored>;

const id = z
  .string()
  .trim()
  .regex(/^\d{5,30}$/, 'id');

/** What the settings form sends; an empty token keeps the one saved. */
export const connectionInputSchema = z.object({
  phoneNumberId: id,
  businessAccountId: id,
  baseUrl: z
    .string()
    .trim()
    .max(300)
    .refine((v) => {
      try {
        const u = new URL(v);
        return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password && !u.search && !u.hash;
      } catch {
        return false;
      }
    }, 'baseUrl')
    .transform((v) => v.replace(/\/+$/, '')),
  apiVersion: z
    .string()
    .trim()
    .regex(/^v\d{1,3}\.\d{1,2}$/, 'apiVersion'),
  accessToken: z
    .string()
    .trim()
    .max(2000, 'accessToken')
    .refine((v) => v === '' || /^[\x21-\x7e]{20,}$/.test(v), 'accessToken'),
});
export type ConnectionInput = z.infer<typeof connectionInputSchema>;

/** What pages may show: everything but the token, of which only its end. */
export type ConnectionView = {
  phoneNumberId: string;
  businessAccountId: string;
  baseUrl: string;
  apiVersion: string;
  tokenEnd: string | null;
  tokenSavedAt: Date | null;
  /** The saved token does not open with this SECRETS_KEY (the key was changed): it must be entered again. */
  tokenUnreadable: boolean;
};

async function readStored(q: Queryable): Promise<Stored | null> {
  const [row] = await q.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, KEY));
  const parsed = row ? stored.safeParse(row.value) : null;
  return parsed?.success ? parsed.data : null;
}

/** The form's values: the saved ones, or Meta's address and current version before anything is saved. */
export async function readConnection(q: Queryable): Promise<ConnectionView> {
  const s = await readStored(q);
  if (!s) {
    return {
      phoneNumberId: '',
      businessAccountId: '',
      baseUrl: DEFAULT_GRAPH_BASE_URL,
      apiVersion: DEFAULT_GRAPH_API_VERSION,
      tokenEnd: null,
      tokenSavedAt: null,
      tokenUnreadable: false,
    };
  }
  return {
    phoneNumberId: s.phoneNumberId,
    businessAccountId: s.businessAccountId,
    baseUrl: s.baseUrl,
    apiVersion: s.apiVersion,
    tokenEnd: s.tokenEnd,
    tokenSavedAt: new Date(s.tokenSavedAt),
    tokenUnreadable: open(s.sealedToken, PURPOSE) === null,
  };
}

export type GraphConfigState = { ok: true; config: GraphConfig } | { ok: false; problem: 'not_configured' | 'token_unreadable' };

/** The connection with its token opened, for a call to Meta; or why there is none. */
export async function graphConfigState(q: Queryable): Promise<GraphConfigState> {
  const s = await readStored(q);
  if (!s) return { ok: false, problem: 'not_configured' };
  const accessToken = open(s.sealedToken, PURPOSE);
  if (accessToken === null) return { ok: false, problem: 'token_unreadable' };
  return {
    ok: true,
    config: {
      baseUrl: s.baseUrl,
      apiVersion: s.apiVersion,
      phoneNumberId: s.phoneNumberId,
      businessAccountId: s.businessAccountId,
      accessToken,
    },
  };
}

/** The connection to call Meta with, or null when none is configured or its token does not open. */
export async function readGraphConfig(q: Queryable): Promise<GraphConfig | null> {
  const state = await graphConfigState(q);
  return state.ok ? state.config : null;
}

export type SaveConnectionResult = { ok: true; tokenReplaced: boolean } | { ok: false; refusal: 'token_required' };

const tokenEnd = (token: string) => token.slice(-4);

/** Saves the connection with its audit entry (the token's end and whether it was replaced, never the token). */
export async function saveConnection(
  tx: Queryable,
  input: ConnectionInput,
  actorId: number,
  now = new Date(),
): Promise<SaveConnectionResult> {
  const before = await readStored(tx);
  const keepToken = input.accessToken === '' && before !== null && open(before.sealedToken, PURPOSE) !== null;
  if (input.accessToken === '' && !keepToken) return { ok: false, refusal: 'token_required' };
  const value: Stored = {
    phoneNumberId: input.phoneNumberId,
    businessAccountId: input.businessAccountId,
    baseUrl: input.baseUrl,
    apiVersion: input.apiVersion,
    sealedToken: keepToken ? before!.sealedToken : seal(input.accessToken, PURPOSE),
    tokenEnd: keepToken ? before!.tokenEnd : tokenEnd(input.accessToken),
    tokenSavedAt: keepToken ? before!.tokenSavedAt : now.toISOString(),
  };
  await tx
    .insert(appSettings)
    .values({ key: KEY, value, updatedBy: actorId, updatedAt: now })
    .onConflictDoUpdate({ target: appSettings.key, set: { value, updatedBy: actorId, updatedAt: now } });
  const shown = (s: Stored | null) =>
    s && {
      phoneNumberId: s.phoneNumberId,
      businessAccountId: s.businessAccountId,
      baseUrl: s.baseUrl,
      apiVersion: s.apiVersion,
      tokenEnd: s.tokenEnd,
    };
  await writeAudit(tx, {
    actorId,
    action: 'whatsapp.connection_update',
    entity: 'app_settings',
    entityId: KEY,
    before: shown(before),
    after: { ...shown(value), tokenReplaced: !keepToken },
  });
  return { ok: true, tokenReplaced: !keepToken };
}
