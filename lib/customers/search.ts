// Finding customers by what someone has at hand: a name, an e-mail, a customer number, or a phone in any format.
// Every branch is an indexed equality or prefix match, so a search stays fast with a million customers.
import type { SQL } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import { readPhone } from '@/lib/import/values';

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/** The E.164 numbers a typed phone may mean: as written (+48…, 0048…, 48…) or national in one of the markets. */
export function phoneCandidates(q: string, markets: readonly string[]): string[] {
  const digits = q.replace(/\D/g, '');
  if (digits.length < 6 || /[^\d\s()+./-]/.test(q.trim())) return [];
  const found = new Set<string>();
  for (const market of [null, ...markets]) {
    const phone = readPhone(q, market);
    if (phone) found.add(phone);
  }
  return [...found];
}

export function searchCondition(q: string, markets: readonly string[]): SQL {
  const text = q.trim().toLowerCase();
  const prefix = `${escapeLike(text)}%`;
  const conditions: SQL[] = [sql`c.external_id = ${q.trim()}`];
  if (text.includes('@')) conditions.push(sql`c.email like ${prefix}`);
  const phones = phoneCandidates(q, markets);
  if (phones.length)
    conditions.push(
      sql`c.phone in (${sql.join(
        phones.map((p) => sql`${p}`),
        sql`, `,
      )})`,
    );
  if (!text.includes('@') && phones.length === 0) {
    conditions.push(sql`lower(c.last_name) like ${prefix}`, sql`lower(c.first_name) like ${prefix}`);
    const words = text.split(/\s+/).filter(Boolean);
    if (words.length >= 2) {
      // "Anna Nowak" and "Nowak Anna": first and last name, in either order.
      const first = `${escapeLike(words[0]!)}%`;
      const rest = `${escapeLike(words.slice(1).join(' '))}%`;
      conditions.push(
        sql`(lower(c.first_name) like ${first} and lower(c.last_name) like ${rest})`,
        sql`(lower(c.last_name) like ${first} and lower(c.first_name) like ${rest})`,
      );
    }
  }
  return sql`(${sql.join(conditions, sql` or `)})`;
}
