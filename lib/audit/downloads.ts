// Every download of personal data is audited: who, which kind, the filter (without free-text search terms, which may
// be a name or an address) and how many rows went out.
import { getDb } from '@/db';
import { writeAudit } from './write';

const FREE_TEXT = new Set(['q', 'search', 'query']);

/** The filter as it may be kept for good: a free-text term is noted as present, never kept. */
export function auditableFilter(filter: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(filter)
      .filter(([, value]) => value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0))
      .map(([key, value]) => (FREE_TEXT.has(key) ? [key, '[search term]'] : [key, value])),
  );
}

export type Download = {
  actorId: number;
  kind: string;
  entityId?: string | number | null;
  filter?: object;
  rows: number | null;
  complete?: boolean;
};

/** Writes `download.<kind>`; `complete: false` when the browser stopped a streamed file before its end. */
export async function auditDownload(download: Download): Promise<void> {
  await writeAudit(await getDb(), {
    actorId: download.actorId,
    action: `download.${download.kind}`,
    entity: 'download',
    entityId: download.entityId ?? null,
    after: { filter: download.filter ? auditableFilter(download.filter) : {}, rows: download.rows, complete: download.complete ?? true },
  });
}
