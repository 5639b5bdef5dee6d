// Checking the audit log's hash chain (db/sql/audit-chain.sql): every entry in place, each hash over what the entry
// says now, each entry naming the hash of the one before.
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { rowsOf } from '@/db/sql';
import { writeAudit } from './write';

export const GENESIS_HASH = '0'.repeat(64);

/** What an entry of the chain can be found to be. */
export type BrokenReason = 'edited' | 'missing' | 'relinked';

export type ChainReport =
  | { ok: true; entries: number; lastSeq: number; lastHash: string }
  | {
      ok: false;
      entries: number;
      /** The last entry before the break, which the chain still vouches for (0: none). */
      verifiedUpTo: number;
      broken: {
        /** The entry where the chain breaks (for `missing`: the first entry after the gap). */
        seq: number;
        id: number;
        reason: BrokenReason;
        /** For `missing`: the places in the chain that are gone. */
        missing?: { from: number; to: number };
      };
    };

type Row = { seq: string | number; id: string | number; prev_hash: string; hash: string; canonical: string };

const BATCH = 20_000;

/**
 * Walks the chain in order of seq, a batch at a time. The hash is computed here from the entry's canonical text
 * rather than by the database's audit_log_hash, so that a function replaced in the database cannot vouch for rows
 * it was replaced to hide; the text is PostgreSQL's own rendering of a JSON array, the same as the function's.
 */
export async function verifyChain(q: Queryable, options: { batch?: number } = {}): Promise<ChainReport> {
  const batch = options.batch ?? BATCH;
  let lastSeq = 0;
  let lastHash = GENESIS_HASH;
  let entries = 0;
  for (;;) {
    const rows = rowsOf<Row>(
      await q.execute(sql`
        select seq, id, prev_hash, hash,
               jsonb_build_array(seq, id, (extract(epoch from at) * 1000000)::bigint, actor_id, action, entity, entity_id,
                                 before, after, prev_hash)::text as canonical
        from audit_log where seq > ${lastSeq} order by seq limit ${batch}`),
    );
    for (const row of rows) {
      const seq = Number(row.seq);
      const id = Number(row.id);
      const fail = (reason: BrokenReason, missing?: { from: number; to: number }): ChainReport => ({
        ok: false,
        entries,
        verifiedUpTo: lastSeq,
        broken: { seq, id, reason, ...(missing ? { missing } : {}) },
      });
      if (seq !== lastSeq + 1) return fail('missing', { from: lastSeq + 1, to: seq - 1 });
      if (createHash('sha256').update(row.canonical, 'utf8').digest('hex') !== row.hash) return fail('edited');
      if (row.prev_hash !== lastHash) return fail('relinked');
      lastSeq = seq;
      lastHash = row.hash;
      entries++;
    }
    if (rows.length < batch) return { ok: true, entries, lastSeq, lastHash };
  }
}

/** What a check found, as an audit entry: the page shows the last one, and it is itself chained. */
export async function recordVerification(
  q: Queryable,
  report: ChainReport,
  actorId: number | null,
  via: 'page' | 'command_line' | 'schedule',
) {
  const after = report.ok
    ? { ok: true, entries: report.entries, upTo: report.lastSeq, hash: report.lastHash, via }
    : { ok: false, entries: report.entries, upTo: report.verifiedUpTo, broken: report.broken, via };
  await writeAudit(q, { actorId, action: 'audit.verify', entity: 'audit_log', entityId: null, after });
}

/** One line a person reads: where the chain holds up to, or where it breaks. */
export function describeReport(report: ChainReport): string {
  if (report.ok) return `audit chain intact: ${report.entries} entries, up to entry ${report.lastSeq} (hash ${report.lastHash})`;
  const { broken } = report;
  const where = `entry ${broken.seq} (id ${broken.id})`;
  const what =
    broken.reason === 'missing'
      ? `entries ${broken.missing!.from}${broken.missing!.to > broken.missing!.from ? `-${broken.missing!.to}` : ''} are missing before ${where}`
      : broken.reason === 'edited'
        ? `${where} was changed after it was written`
        : `${where} does not carry the hash of the entry before it`;
  return `audit chain broken: ${what}; intact up to entry ${report.verifiedUpTo}`;
}
