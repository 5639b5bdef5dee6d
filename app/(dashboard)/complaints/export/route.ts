import { auditDownload } from '@/lib/audit/downloads';
import { requireSection } from '@/lib/auth/session';
import { complaintsCsv } from '@/lib/complaints/csv';
import { parseComplaintFilter } from '@/lib/complaints/filter';
import { complaintsForExport } from '@/lib/complaints/queries';

export async function GET(request: Request) {
  const user = await requireSection('complaints');
  const url = new URL(request.url);
  const filter = parseComplaintFilter(Object.fromEntries([...url.searchParams.keys()].map((k) => [k, url.searchParams.getAll(k)])));
  const rows = await complaintsForExport(filter);
  await auditDownload({ actorId: user.id, kind: 'complaints_csv', filter, rows: rows.length });
  return new Response(complaintsCsv(rows), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="zgoda-complaints-${new Date().toISOString().slice(0, 10)}.csv"`,
      'Cache-Control': 'no-store',
    },
  });
}
