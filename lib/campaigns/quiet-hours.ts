// Quiet hours: no marketing at night in the customer's time zone, taken from the customer's market.
import type { CampaignSending, QuietHours } from '@/lib/settings/app-settings';

/** The time zone a market's customers live in (its capital's, for the few markets that span several). */
export const MARKET_TIME_ZONES: Readonly<Record<string, string>> = {
  AT: 'Europe/Vienna',
  BE: 'Europe/Brussels',
  BG: 'Europe/Sofia',
  CH: 'Europe/Zurich',
  CY: 'Asia/Nicosia',
  CZ: 'Europe/Prague',
  DE: 'Europe/Berlin',
  DK: 'Europe/Copenhagen',
  EE: 'Europe/Tallinn',
  ES: 'Europe/Madrid',
  FI: 'Europe/Helsinki',
  FR: 'Europe/Paris',
  GB: 'Europe/London',
  GR: 'Europe/Athens',
  HR: 'Europe/Zagreb',
  HU: 'Europe/Budapest',
  IE: 'Europe/Dublin',
  IT: 'Europe/Rome',
  LT: 'Europe/Vilnius',
  LU: 'Europe/Luxembourg',
  LV: 'Europe/Riga',
  MT: 'Europe/Malta',
  NL: 'Europe/Amsterdam',
  NO: 'Europe/Oslo',
  PL: 'Europe/Warsaw',
  PT: 'Europe/Lisbon',
  RO: 'Europe/Bucharest',
  SE: 'Europe/Stockholm',
  SI: 'Europe/Ljubljana',
  SK: 'Europe/Bratislava',
  TR: 'Europe/Istanbul',
  UA: 'Europe/Kyiv',
};

/**
 * A market without a known zone is taken at the widest night of the European zones: quiet from the start in the
 * easternmost zone to the end in the westernmost, so that nobody is messaged at night by a guess.
 */
const UNKNOWN_ZONES = ['Europe/Lisbon', 'Europe/Helsinki'];

const formatters = new Map<string, Intl.DateTimeFormat>();
function minutesOfDay(at: Date, timeZone: string): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  const parts = f.formatToParts(at);
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  const minute = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  return hour * 60 + minute;
}

const toMinutes = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

/** When the quiet hours around `at` end in one zone, or null when `at` is outside them. */
function quietEndIn(at: Date, hours: QuietHours, timeZone: string): Date | null {
  const start = toMinutes(hours.start);
  const end = toMinutes(hours.end);
  if (start === end) return null;
  const now = minutesOfDay(at, timeZone);
  const inside = start < end ? now >= start && now < end : now >= start || now < end;
  if (!inside) return null;
  const left = (end - now + 1440) % 1440;
  // To the minute: the seconds of `at` are dropped, so the end never falls a minute short.
  const base = Math.floor(at.getTime() / 60_000) * 60_000;
  return new Date(base + left * 60_000);
}

/** The quiet hours that apply to a market: its own, none (null: an admin switched them off there), or the default. */
export function quietHoursOf(market: string, settings: Pick<CampaignSending, 'quietHours' | 'quietHoursByMarket'>): QuietHours | null {
  const own = settings.quietHoursByMarket[market];
  return own === undefined ? settings.quietHours : own;
}

/** When a marketing message to a customer of `market` may go at the earliest, or null when it may go at `at`. */
export function quietUntil(at: Date, market: string, settings: Pick<CampaignSending, 'quietHours' | 'quietHoursByMarket'>): Date | null {
  const hours = quietHoursOf(market, settings);
  if (!hours) return null;
  const zones = MARKET_TIME_ZONES[market] ? [MARKET_TIME_ZONES[market]] : UNKNOWN_ZONES;
  // Quiet until no zone is quiet: the end in one zone may fall into the night of another.
  let until = at;
  for (let i = 0; i < zones.length + 1; i++) {
    const ends = zones.map((z) => quietEndIn(until, hours, z)).filter((d): d is Date => d !== null);
    if (ends.length === 0) break;
    until = new Date(Math.max(...ends.map((d) => d.getTime())));
  }
  return until === at ? null : until;
}
