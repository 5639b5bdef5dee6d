// Hosted opt-in forms as admins define them: what a form asks for and in which words, kept as immutable versions so
// that every grant can name exactly what the customer read.
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { z } from '@/lib/zod';
import type { Queryable } from '@/db';
import { errorCode } from '@/db/errors';
import type { OptInBox, OptInForm, OptInFormVersion } from '@/db/schema';
import { optInFormVersions, optInForms } from '@/db/schema';
import { writeAudit } from '@/lib/audit/write';
import { CHANNELS, EU_MEMBER_STATES, PURPOSES } from '@/lib/consent';
import { PUBLIC_LOCALES } from '@/lib/public/locale';

export const MAX_ORIGINS = 20;

/** `https://shop.example` or `https://shop.example:8443`; plain http only for the developer's own machine. */
export function readOrigin(value: string): string | null {
  const v = value.trim().replace(/\/$/, '');
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return null;
  }
  // Host names and addresses only: a wildcard or a quoted source would widen or break the frame-ancestors list.
  if (!/^([a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/i.test(url.hostname)) return null;
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) return null;
  // An origin is scheme, host and port only: a path, query or credentials would not match what browsers send.
  if (url.origin.toLowerCase() !== v.toLowerCase()) return null;
  return url.origin;
}

const boxSchema = z.object({
  channel: z.enum(CHANNELS),
  purpose: z.enum(PURPOSES),
  wording: z.string().trim().min(1, 'wording_required').max(1000, 'too_long'),
});

export const formDefinitionSchema = z
  .object({
    slug: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9](?:[a-z0-9-]{1,58}[a-z0-9])$/, 'slug_invalid'),
    shopName: z.string().trim().min(1, 'required').max(120, 'too_long'),
    privacyUrl: z
      .string()
      .trim()
      .max(500, 'too_long')
      .refine((v) => /^https?:\/\//i.test(v) && URL.canParse(v), 'url_invalid'),
    language: z.enum(PUBLIC_LOCALES, { message: 'language_required' }),
    market: z.enum(EU_MEMBER_STATES, { message: 'market_required' }),
    boxes: z
      .array(boxSchema)
      .min(1, 'boxes_required')
      .max(CHANNELS.length * PURPOSES.length),
    alwaysDoubleOptIn: z.boolean(),
    allowedOrigins: z
      .array(z.string())
      .max(MAX_ORIGINS, 'too_many_origins')
      .transform((list, ctx) => {
        const origins = list.map((o) => o.trim()).filter(Boolean);
        const read = origins.map(readOrigin);
        if (read.some((o) => o === null)) {
          ctx.addIssue({ code: 'custom', message: 'origin_invalid' });
          return z.NEVER;
        }
        return [...new Set(read as string[])];
      }),
    active: z.boolean(),
  })
  .superRefine((v, ctx) => {
    const keys = v.boxes.map((b) => `${b.channel}:${b.purpose}`);
    if (new Set(keys).size !== keys.length) ctx.addIssue({ code: 'custom', path: ['boxes'], message: 'box_twice' });
  });
export type FormDefinition = z.infer<typeof formDefinitionSchema>;

/** What a customer reads: a change of any of it is a new version. */
function sameWording(version: OptInFormVersion | undefined, d: FormDefinition): boolean {
  if (!version) return false;
  const boxes = (list: readonly OptInBox[]) => JSON.stringify(list.map((b) => [b.channel, b.purpose, b.wording]));
  return (
    version.shopName === d.shopName &&
    version.privacyUrl === d.privacyUrl &&
    version.language === d.language &&
    boxes(version.boxes) === boxes(d.boxes)
  );
}

/** Boxes in one order (channel, then purpose, as everywhere in Zgoda), whatever order the admin's form sent. */
export function orderBoxes(boxes: readonly OptInBox[]): OptInBox[] {
  const rank = (b: OptInBox) => CHANNELS.indexOf(b.channel) * PURPOSES.length + PURPOSES.indexOf(b.purpose);
  return [...boxes].sort((a, b) => rank(a) - rank(b));
}

export type SaveFormResult =
  { ok: true; formId: number; versionId: number; version: number; newVersion: boolean } | { ok: false; code: 'slug_taken' | 'not_found' };

/**
 * Creates a form (formId null) or changes one, in one transaction with its audit entry. Changed wording adds a version
 * and makes it current; the earlier versions stay as they were, since grants name them.
 */
export async function saveForm(db: Queryable, formId: number | null, input: FormDefinition, actorId: number): Promise<SaveFormResult> {
  const definition = { ...input, boxes: orderBoxes(input.boxes) };
  try {
    return await db.transaction(async (tx) => {
      let form: OptInForm | undefined;
      let current: OptInFormVersion | undefined;
      const settings = {
        slug: definition.slug,
        market: definition.market,
        alwaysDoubleOptIn: definition.alwaysDoubleOptIn,
        allowedOrigins: definition.allowedOrigins,
        active: definition.active,
      };
      if (formId === null) {
        [form] = await tx
          .insert(optInForms)
          .values({ ...settings, createdBy: actorId })
          .returning();
      } else {
        const [before] = await tx.select().from(optInForms).where(eq(optInForms.id, formId)).for('update');
        if (!before) return { ok: false, code: 'not_found' } as const;
        current = before.currentVersionId
          ? (await tx.select().from(optInFormVersions).where(eq(optInFormVersions.id, before.currentVersionId)))[0]
          : undefined;
        [form] = await tx
          .update(optInForms)
          .set({ ...settings, updatedAt: new Date() })
          .where(eq(optInForms.id, formId))
          .returning();
        await writeAudit(tx, {
          actorId,
          action: 'opt_in_form.update',
          entity: 'opt_in_form',
          entityId: formId,
          before: { ...pick(before), versionId: before.currentVersionId },
          after: pick(form!),
        });
      }
      const saved = form!;
      let versionId = current?.id ?? 0;
      let versionNo = current?.version ?? 0;
      const newVersion = !sameWording(current, definition);
      if (newVersion) {
        const [{ next }] = (await tx
          .select({ next: sql<number>`coalesce(max(${optInFormVersions.version}), 0) + 1` })
          .from(optInFormVersions)
          .where(eq(optInFormVersions.formId, saved.id))) as [{ next: number }];
        const [version] = await tx
          .insert(optInFormVersions)
          .values({
            formId: saved.id,
            version: Number(next),
            shopName: definition.shopName,
            privacyUrl: definition.privacyUrl,
            language: definition.language,
            boxes: definition.boxes,
            createdBy: actorId,
          })
          .returning({ id: optInFormVersions.id });
        versionId = version!.id;
        versionNo = Number(next);
        await tx.update(optInForms).set({ currentVersionId: versionId }).where(eq(optInForms.id, saved.id));
        await writeAudit(tx, {
          actorId,
          action: 'opt_in_form.version',
          entity: 'opt_in_form',
          entityId: saved.id,
          after: { versionId, version: Number(next), language: definition.language, boxes: definition.boxes },
        });
      }
      if (formId === null) {
        await writeAudit(tx, { actorId, action: 'opt_in_form.create', entity: 'opt_in_form', entityId: saved.id, after: pick(saved) });
      }
      return { ok: true, formId: saved.id, versionId, version: versionNo, newVersion };
    });
  } catch (error) {
    if (errorCode(error) === '23505') return { ok: false, code: 'slug_taken' };
    throw error;
  }
}

function pick(form: OptInForm) {
  return {
    slug: form.slug,
    market: form.market,
    alwaysDoubleOptIn: form.alwaysDoubleOptIn,
    allowedOrigins: form.allowedOrigins,
    active: form.active,
  };
}

export type FormWithVersion = { form: OptInForm; version: OptInFormVersion };

/** A form and the version it shows now, by slug; null when there is none or it has no version yet. */
export async function formBySlug(db: Queryable, slug: string): Promise<FormWithVersion | null> {
  const [row] = await db
    .select({ form: optInForms, version: optInFormVersions })
    .from(optInForms)
    .innerJoin(optInFormVersions, eq(optInFormVersions.id, optInForms.currentVersionId))
    .where(eq(optInForms.slug, slug.toLowerCase()));
  return row ?? null;
}

export async function formById(db: Queryable, id: number): Promise<FormWithVersion | null> {
  const [row] = await db
    .select({ form: optInForms, version: optInFormVersions })
    .from(optInForms)
    .innerJoin(optInFormVersions, eq(optInFormVersions.id, optInForms.currentVersionId))
    .where(eq(optInForms.id, id));
  return row ?? null;
}

/** Every form with its current version, for the settings page. */
export async function listForms(db: Queryable): Promise<FormWithVersion[]> {
  return db
    .select({ form: optInForms, version: optInFormVersions })
    .from(optInForms)
    .innerJoin(optInFormVersions, eq(optInFormVersions.id, optInForms.currentVersionId))
    .orderBy(asc(optInForms.slug));
}

/** The versions of a form, newest first. */
export async function formVersions(db: Queryable, formId: number): Promise<OptInFormVersion[]> {
  return db.select().from(optInFormVersions).where(eq(optInFormVersions.formId, formId)).orderBy(desc(optInFormVersions.version));
}

/** The origins that may frame an active form, by slug (empty: none may). */
export async function frameOrigins(db: Queryable, slug: string): Promise<string[]> {
  const [row] = await db
    .select({ origins: optInForms.allowedOrigins })
    .from(optInForms)
    .where(and(eq(optInForms.slug, slug.toLowerCase()), eq(optInForms.active, true)));
  return row?.origins ?? [];
}
