'use server';

import { cookies, headers } from 'next/headers';
import { revalidatePath } from 'next/cache';
import { getTranslations } from 'next-intl/server';
import { getDb } from '@/db';
import { requireRole } from '@/lib/auth/session';
import type { Purpose } from '@/lib/consent';
import { PURPOSES } from '@/lib/consent';
import { recordConsentEvent } from '@/lib/consent-store/record';
import { evidenceOf, recordConsentSchema } from '@/lib/customers/record-input';
import { DEFAULT_TIME_ZONE, TIME_ZONE_COOKIE, isTimeZone } from '@/lib/i18n/config';
import { localToUtc } from '@/lib/i18n/time';
import { requestLogger } from '@/lib/log';

export type RecordConsentState =
  | { ok: true; message: string }
  | { ok: false; message: string; fieldErrors?: Record<string, string> }
  | null;

/** Sellers and support record grants, confirmations and withdrawals; managers read only. */
export async function recordConsentAction(_prev: RecordConsentState, formData: FormData): Promise<RecordConsentState> {
  const user = await requireRole('admin', 'seller', 'support');
  const t = await getTranslations('customer.record');
  const parsed = recordConsentSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) {
    const fieldErrors = Object.fromEntries(
      parsed.error.issues.map((i) => [String(i.path[0]), t.has(`errors.${i.message}`) ? t(`errors.${i.message}`) : t('errors.invalid')]),
    );
    return { ok: false, message: t('errors.fix'), fieldErrors };
  }
  const input = parsed.data;
  const tz = (await cookies()).get(TIME_ZONE_COOKIE)?.value;
  const occurredAt = localToUtc(input.occurredAt, isTimeZone(tz) ? tz : DEFAULT_TIME_ZONE);
  if (!occurredAt) return { ok: false, message: t('errors.fix'), fieldErrors: { occurredAt: t('errors.occurred_required') } };
  const h = await headers();
  const evidence = evidenceOf(input, { ip: h.get('x-forwarded-for')?.split(',')[0]?.trim() || undefined, userAgent: h.get('user-agent') ?? undefined });
  const purposes: Purpose[] = input.purpose === 'all' ? [...PURPOSES] : [input.purpose];
  try {
    const db = await getDb();
    // A withdrawal of all purposes is one act of the customer: both events or neither.
    const results = await db.transaction(async (tx) => {
      const out = [];
      for (const purpose of purposes) {
        const result = await recordConsentEvent(
          tx,
          { customerId: input.customerId, channel: input.channel, purpose, kind: input.kind, occurredAt, source: input.source, evidence },
          user.id,
        );
        if (!result.ok) throw Object.assign(new Error(result.message), { refusal: result.code });
        out.push(result);
      }
      return out;
    });
    revalidatePath(`/customers/${input.customerId}`);
    const status = results.at(-1)?.ok ? results.at(-1)!.state.status : 'unknown';
    return { ok: true, message: t('saved', { status }) };
  } catch (error) {
    const refusal = (error as { refusal?: string }).refusal;
    if (refusal) return { ok: false, message: t(`errors.${refusal}`) };
    (await requestLogger()).error({ err: error }, 'recording consent failed');
    return { ok: false, message: (await getTranslations('errors'))('genericText') };
  }
}
