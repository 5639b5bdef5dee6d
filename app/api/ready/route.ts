// Readiness for a load balancer: 200 when the database answers and every migration of this build is applied, else 503.
import { getDb } from '@/db';
import { readiness } from '@/lib/ops/readiness';

export async function GET() {
  const state = await readiness(getDb);
  const headers = { 'Cache-Control': 'no-store' };
  if (state.ready) return Response.json({ status: 'ready', migration: state.migration }, { headers });
  return Response.json({ status: 'not_ready', problem: state.problem, detail: state.detail }, { status: 503, headers });
}
