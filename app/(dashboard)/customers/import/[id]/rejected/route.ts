import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { getDb } from '@/db';
import { auditDownload } from '@/lib/audit/downloads';
import { IMPORTERS } from '@/lib/auth/roles';
import { requireRole } from '@/lib/auth/session';
import { csvLine } from '@/lib/csv';
import { parseCustomerId } from '@/lib/customers/filter';
import { getImport, rejectedRows } from '@/lib/import/batches';
import { importFile } from '@/lib/import/files';
import { readRecords } from '@/lib/import/read';
import { issueText } from '@/lib/import/issues';

const PAGE = 5_000;

// The rejected rows as they were in the file, with one more column saying why; streamed, file and rows read side by side.
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await requireRole(...IMPORTERS);
  const id = parseCustomerId((await params).id);
  const db = await getDb();
  const batch = id ? await getImport(db, id) : null;
  const format = batch?.options.format;
  if (!batch || !format) notFound();
  const t = await getTranslations('import');
  const errorColumn = t('rejectedColumn');

  let sent = 0;
  const audited = (complete: boolean) =>
    auditDownload({ actorId: user.id, kind: 'rejected_rows_csv', entityId: batch!.id, rows: sent, complete });
  async function* lines(): AsyncGenerator<string> {
    let pending: Array<{ rowNo: number; text: string }> = [];
    let after = 0;
    let exhausted = false;
    const next = async () => {
      if (pending.length === 0 && !exhausted) {
        const page = await rejectedRows(db, batch!.id, after, PAGE);
        exhausted = page.length < PAGE;
        after = page.at(-1)?.rowNo ?? after;
        pending = page.map((r) => ({ rowNo: r.rowNo, text: r.issues.map((i) => issueText(t, i)).join('; ') }));
      }
      return pending[0];
    };
    for await (const { rowNo, record } of readRecords(importFile(db, batch!), format!, { header: true })) {
      if (rowNo === 0) {
        yield csvLine([...record, errorColumn]);
        continue;
      }
      const head = await next();
      if (!head) return;
      if (head.rowNo === rowNo) {
        pending.shift();
        sent++;
        yield csvLine([...record, head.text]);
      }
    }
  }

  const encoder = new TextEncoder();
  const iterator = lines();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await iterator.next();
      if (done) {
        await audited(true);
        controller.close();
      } else controller.enqueue(encoder.encode(value));
    },
    async cancel() {
      await iterator.return(undefined);
      await audited(false);
    },
  });
  const name = batch.fileName.replace(/\.csv$/i, '').replace(/[^\w.-]+/g, '_');
  return new Response(stream, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}-rejected.csv"`,
      'Cache-Control': 'no-store',
    },
  });
}
