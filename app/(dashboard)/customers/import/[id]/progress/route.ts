import { getDb } from '@/db';
import { IMPORTERS } from '@/lib/auth/roles';
import { requireRole } from '@/lib/auth/session';
import { parseCustomerId } from '@/lib/customers/filter';
import { readJobState } from '@/lib/import/progress';

/** The status of a batch and how far its running dry run or commit has come, for the page to poll. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  await requireRole(...IMPORTERS);
  const id = parseCustomerId((await params).id);
  const state = id ? await readJobState(await getDb(), id) : null;
  return Response.json(state, { status: state ? 200 : 404, headers: { 'Cache-Control': 'no-store' } });
}
