// What an import keeps of a file besides its staged rows: the first lines (to map the columns) and the first errors and
// warnings with the cell that caused them. An erasure takes out those that belong to the person.
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { eq, sql } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { importBatches } from '@/db/schema';
import type { BatchOptions } from '@/lib/import/types';

export type Identifiers = { email: string | null; phone: string | null; externalId: string | null };

const digits = (value: string) => value.replace(/\D/g, '');

/** A test for a cell as a file holds it (any case, a phone written in any way) against the person's identifiers. */
export function identifiesPerson(person: Identifiers): ((cell: string) => boolean) | null {
  const email = person.email?.trim().toLowerCase() || null;
  const externalId = person.externalId?.trim() || null;
  // The national number, the part every way of writing the phone has in common.
  const national = person.phone ? (parsePhoneNumberFromString(person.phone)?.nationalNumber ?? digits(person.phone)) : null;
  if (!email && !externalId && !national) return null;
  return (cell) => {
    const value = cell.trim();
    if (!value) return false;
    if (email && value.toLowerCase() === email) return true;
    if (externalId && value.replace(/^'/, '') === externalId) return true;
    return national !== null && national.length >= 6 && digits(value).endsWith(national) && digits(value).length <= national.length + 4;
  };
}

/**
 * Removes the person's lines from the previews and their cells from the issues of every import batch that mentions
 * them. The batches are few (one per file) and found by their text first, so this reads only those that may hold them.
 */
export async function scrubImportTraces(tx: Queryable, person: Identifiers): Promise<number> {
  const matches = identifiesPerson(person);
  if (!matches) return 0;
  const national = person.phone ? (parsePhoneNumberFromString(person.phone)?.nationalNumber ?? digits(person.phone)) : null;
  const needles = [person.email, person.externalId].filter((v): v is string => Boolean(v)).map((v) => `%${v.toLowerCase()}%`);
  const candidates = await tx
    .select({ id: importBatches.id, options: importBatches.options })
    .from(importBatches)
    .where(
      sql`lower(${importBatches.options}::text) like any(${`{${needles.map((n) => `"${n.replace(/["\\]/g, '\\$&')}"`).join(',')}}`}::text[])
        ${national ? sql`or regexp_replace(${importBatches.options}::text, '[^0-9]', '', 'g') like ${`%${national}%`}` : sql``}`,
    );
  let changed = 0;
  for (const batch of candidates) {
    const options: BatchOptions = batch.options;
    const sniff = options.sniff && { ...options.sniff, preview: options.sniff.preview.filter((line) => !line.some(matches)) };
    const summary = options.summary && {
      ...options.summary,
      firstErrors: options.summary.firstErrors.filter((i) => !matches(i.value)),
      firstWarnings: options.summary.firstWarnings.filter((i) => !matches(i.value)),
    };
    const next: BatchOptions = { ...options, ...(sniff ? { sniff } : {}), ...(summary ? { summary } : {}) };
    if (JSON.stringify(next) === JSON.stringify(options)) continue;
    await tx.update(importBatches).set({ options: next }).where(eq(importBatches.id, batch.id));
    changed++;
  }
  return changed;
}
