import { cookies } from 'next/headers';
import { DEFAULT_TIME_ZONE, TIME_ZONE_COOKIE, isTimeZone } from './config';

/** The time zone the user's browser reported (a cookie), in which dates are shown and typed dates are read. */
export async function userTimeZone(): Promise<string> {
  const tz = (await cookies()).get(TIME_ZONE_COOKIE)?.value;
  return isTimeZone(tz) ? tz : DEFAULT_TIME_ZONE;
}
