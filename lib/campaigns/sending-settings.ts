// The campaign sending settings as an admin types them: numbers, two clock times and one line per market
// ("DE 20:00-08:00", or "NL off" for a market with no quiet hours).
import { z } from '@/lib/zod';
import type { CampaignSending, QuietHours } from '@/lib/settings/app-settings';
import { campaignSendingSchema } from '@/lib/settings/app-settings';

export type SendingField = 'ratePerSecond' | 'frequencyCap' | 'quietStart' | 'quietEnd' | 'markets';

const LINE = /^([A-Za-z]{2})\s*[:=]?\s+(?:(off)|(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2}))$/i;

const pad = (clock: string) => (clock.length === 4 ? `0${clock}` : clock);

/** The markets text back from a stored value, one line per market in alphabetical order. */
export function marketsText(byMarket: CampaignSending['quietHoursByMarket']): string {
  return Object.keys(byMarket)
    .sort()
    .map((m) => (byMarket[m] ? `${m} ${byMarket[m]!.start}-${byMarket[m]!.end}` : `${m} off`))
    .join('\n');
}

/** Parses the form; on error names every field that is wrong and the market lines (1-based) that are. */
export function parseSendingForm(
  form: Record<string, unknown>,
): { ok: true; value: CampaignSending } | { ok: false; fields: SendingField[]; badLines: number[] } {
  const fields: SendingField[] = [];
  const text = (k: string) => (typeof form[k] === 'string' ? (form[k] as string).trim() : '');
  const rate = campaignSendingSchema.shape.ratePerSecond.safeParse(text('ratePerSecond') || undefined);
  if (!rate.success) fields.push('ratePerSecond');
  const cap = campaignSendingSchema.shape.frequencyCap.safeParse(text('frequencyCap') || undefined);
  if (!cap.success) fields.push('frequencyCap');
  const clock = campaignSendingSchema.shape.quietHours.shape.start;
  const start = clock.safeParse(pad(text('quietStart')));
  if (!start.success) fields.push('quietStart');
  const end = clock.safeParse(pad(text('quietEnd')));
  if (!end.success) fields.push('quietEnd');

  const byMarket: Record<string, QuietHours | null> = {};
  const badLines: number[] = [];
  text('markets')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const line = raw.trim();
      if (!line) return;
      const m = LINE.exec(line);
      const market = m?.[1]?.toUpperCase();
      const hours = m && !m[2] ? { start: pad(m[3] ?? ''), end: pad(m[4] ?? '') } : null;
      if (!m || !market || market in byMarket || (hours && !z.object({ start: clock, end: clock }).safeParse(hours).success)) {
        badLines.push(i + 1);
        return;
      }
      byMarket[market] = hours;
    });
  if (badLines.length) fields.push('markets');
  if (fields.length || !rate.success || !cap.success || !start.success || !end.success) return { ok: false, fields, badLines };
  return {
    ok: true,
    value: {
      ratePerSecond: rate.data,
      frequencyCap: cap.data,
      quietHours: { start: start.data, end: end.data },
      quietHoursByMarket: byMarket,
    },
  };
}
