// Settings an admin changes outside the market rules: what a WhatsApp STOP withdraws, the monitor's alert thresholds,
// how long data is kept.
import { eq } from 'drizzle-orm';
import { z } from '@/lib/zod';
import type { Queryable } from '@/db';
import { appSettings } from '@/db/schema';
import { writeAudit } from '@/lib/audit/write';
import { DEFAULT_RETENTION, retentionSettingsSchema } from '@/lib/retention/settings';

export const stopScopeSchema = z.enum(['all', 'marketing']);
export type StopScope = z.infer<typeof stopScopeSchema>;

export const alertThresholdsSchema = z.object({
  /** A sent campaign's opt-outs within 7 days / recipients, in percent. */
  campaignOptOutRatePct: z.coerce.number().min(0.01).max(100),
  /** Complaints in one ISO week. */
  weeklyComplaints: z.coerce.number().int().min(1).max(1_000_000),
  /** Complaints in one week against the average of the four weeks before. */
  complaintsTrendFactor: z.coerce.number().min(1).max(100),
  legalNotice: z.boolean(),
});
export type AlertThresholds = z.infer<typeof alertThresholdsSchema>;

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
export const quietHoursSchema = z.object({ start: clock, end: clock });
export type QuietHours = z.infer<typeof quietHoursSchema>;

export const campaignSendingSchema = z.object({
  /** Messages per second per business phone number when a campaign sets none (Meta allows 80 by default). */
  ratePerSecond: z.coerce.number().int().min(1).max(1000),
  /** Marketing messages one customer gets at most in 7 days, over every campaign. */
  frequencyCap: z.coerce.number().int().min(1).max(100),
  /** No marketing between start and end, in the customer's market's time zone; per market where it differs. */
  quietHours: quietHoursSchema,
  quietHoursByMarket: z.record(z.string().regex(/^[A-Z]{2}$/), quietHoursSchema.nullable()),
});
export type CampaignSending = z.infer<typeof campaignSendingSchema>;

const SETTINGS = {
  whatsapp_stop_scope: { schema: stopScopeSchema, fallback: 'all' as StopScope },
  alert_thresholds: {
    schema: alertThresholdsSchema,
    fallback: { campaignOptOutRatePct: 2, weeklyComplaints: 25, complaintsTrendFactor: 2, legalNotice: true } as AlertThresholds,
  },
  campaign_sending: {
    schema: campaignSendingSchema,
    fallback: {
      ratePerSecond: 60,
      frequencyCap: 2,
      quietHours: { start: '20:00', end: '08:00' },
      quietHoursByMarket: {},
    } as CampaignSending,
  },
  retention: { schema: retentionSettingsSchema, fallback: DEFAULT_RETENTION },
} as const;
type Key = keyof typeof SETTINGS;
type Value<K extends Key> = (typeof SETTINGS)[K]['fallback'];

/** The stored value, or the shipped default when none is stored (or it no longer parses). */
export async function readSetting<K extends Key>(q: Queryable, key: K): Promise<Value<K>> {
  const [row] = await q.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, key));
  const parsed = row ? SETTINGS[key].schema.safeParse(row.value) : null;
  return (parsed?.success ? parsed.data : SETTINGS[key].fallback) as Value<K>;
}

/** Stores a setting with an audit entry; call inside the action's transaction. */
export async function writeSetting<K extends Key>(q: Queryable, key: K, value: Value<K>, actorId: number): Promise<void> {
  const before = await readSetting(q, key);
  await q
    .insert(appSettings)
    .values({ key, value, updatedBy: actorId })
    .onConflictDoUpdate({ target: appSettings.key, set: { value, updatedBy: actorId, updatedAt: new Date() } });
  await writeAudit(q, { actorId, action: 'settings.update', entity: 'app_settings', entityId: key, before, after: value });
}
