import { getTranslations } from 'next-intl/server';
import { auditDownload } from '@/lib/audit/downloads';
import { requireSection } from '@/lib/auth/session';
import { csvLine } from '@/lib/csv';
import { parseCustomerFilter } from '@/lib/customers/filter';
import { EXPORT_COLUMNS, LINK_COLUMNS, exportCustomers } from '@/lib/customers/queries';
import { customerLinks, linkBase } from '@/lib/preferences/links';

/**
 * The filtered customer list as CSV, streamed, with each customer's preference and unsubscribe links for the seller's
 * own mail tool (none for an erased customer); cells that a spreadsheet would run as formulas are neutralised.
 */
export async function GET(request: Request) {
  const user = await requireSection('customers');
  const base = linkBase(process.env, request.headers);
  if (!base.ok) {
    return new Response((await getTranslations('customerLinks'))(base.reason), {
      status: 409,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    });
  }
  const url = new URL(request.url);
  const filter = parseCustomerFilter(Object.fromEntries([...url.searchParams.keys()].map((k) => [k, url.searchParams.getAll(k)])));
  const text = (v: unknown) => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : String(v));
  const encoder = new TextEncoder();
  const rows = exportCustomers(filter);
  let headerSent = false;
  let sent = 0;
  const audited = (complete: boolean) => auditDownload({ actorId: user.id, kind: 'customers_csv', filter, rows: sent, complete });
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        return controller.enqueue(encoder.encode('\uFEFF' + csvLine([...EXPORT_COLUMNS, ...LINK_COLUMNS])));
      }
      const lines: string[] = [];
      for (let i = 0; i < 500; i++) {
        const { value, done } = await rows.next();
        if (done) {
          if (lines.length) controller.enqueue(encoder.encode(lines.join('')));
          await audited(true);
          return controller.close();
        }
        sent++;
        const links = value.erased ? null : customerLinks(base.base, Number(value.id));
        lines.push(csvLine([...EXPORT_COLUMNS.map((c) => text(value[c])), links?.preferences ?? null, links?.unsubscribe ?? null]));
      }
      controller.enqueue(encoder.encode(lines.join('')));
    },
    async cancel() {
      await rows.return(undefined);
      await audited(false);
    },
  });
  return new Response(stream, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="zgoda-customers-${new Date().toISOString().slice(0, 10)}.csv"`,
      'Cache-Control': 'no-store',
    },
  });
}
