// Which sites may show a hosted form in a frame, for the proxy's frame-ancestors: read from the database once in a
// while per slug, not on every request. Kept on globalThis, so that the proxy and the action that saves a form (two
// bundles of one process) share it; another instance sees a change within MAX_AGE_MS.
import { getDb } from '@/db';
import { frameOrigins } from './forms';

const MAX_AGE_MS = 30_000;
// A flood of made-up slugs must not grow the cache without end.
const MAX_SLUGS = 1_000;

type Entry = { at: number; origins: Promise<string[]> };
const shared = globalThis as unknown as { zgodaFrameOrigins?: Map<string, Entry> };
const cache = () => (shared.zgodaFrameOrigins ??= new Map());

/** The origins that may frame the form at this slug (none when there is no such active form, or the lookup fails). */
export function frameOriginsFor(slug: string, now = Date.now()): Promise<string[]> {
  const key = slug.toLowerCase();
  const entries = cache();
  const hit = entries.get(key);
  if (hit && now - hit.at < MAX_AGE_MS) return hit.origins;
  if (entries.size >= MAX_SLUGS) entries.delete(entries.keys().next().value!);
  // A failed lookup frames nothing, and is asked again next time.
  const origins = getDb()
    .then((db) => frameOrigins(db, key))
    .catch(() => {
      entries.delete(key);
      return [];
    });
  entries.set(key, { at: now, origins });
  return origins;
}

/** Drops what is known of a slug, after its form was saved. */
export function forgetFrameOrigins(slug: string): void {
  cache().delete(slug.toLowerCase());
}
