import { getDb } from '@/db';
import { requireRole } from '@/lib/auth/session';
import { parseCustomerId } from '@/lib/customers/filter';
import { accessExport, auditAccessExport } from '@/lib/privacy/access-export';

/** Everything held about the customer as one JSON file (GDPR Art. 15 and 20), for support to hand to them; audited. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await requireRole('admin', 'seller', 'support');
  const id = parseCustomerId((await params).id);
  const db = await getDb();
  const result = id === null ? ({ ok: false, code: 'not_found' } as const) : await accessExport(db, id);
  if (!result.ok) {
    const error = result.code === 'erased' ? 'This customer was erased: no personal data is left to export.' : 'No such customer.';
    return Response.json({ error }, { status: result.code === 'erased' ? 410 : 404 });
  }
  await auditAccessExport(db, user.id, result.data.customer.id, 'json');
  return new Response(JSON.stringify(result.data, null, 2), {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="zgoda-access-export-${result.data.customer.id}.json"`,
      'Cache-Control': 'no-store',
    },
  });
}
