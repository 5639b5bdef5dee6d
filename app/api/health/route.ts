// Liveness: the process is up and answers. Says nothing about the database (see /api/ready).
export function GET() {
  return Response.json({ status: 'ok' }, { headers: { 'Cache-Control': 'no-store' } });
}
