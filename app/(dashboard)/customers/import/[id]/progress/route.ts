import { requireRole } from '@/lib/auth/session';
import { IMPORTERS } from '@/lib/auth/roles';
import { parseCustomerId } from '@/lib/customers/filter';
import { getProgress } from '@/lib/import/progress';

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  await requireRole(...IMPORTERS);
  const id = parseCustomerId((await params).id);
  return Response.json(id ? getProgress(id) : null, { headers: { 'Cache-Control': 'no-store' } });
}
