import { requireRole } from '@/lib/auth/session';
import { IMPORTERS } from '@/lib/auth/roles';
import { templateCsv } from '@/lib/import/fields';

export async function GET() {
  await requireRole(...IMPORTERS);
  return new Response(templateCsv(), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="zgoda-customers-template.csv"',
      'Cache-Control': 'no-store',
    },
  });
}
