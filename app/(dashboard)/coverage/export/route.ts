import { requireSection } from '@/lib/auth/session';
import { coverageCsv } from '@/lib/coverage/csv';
import { parseCoverageParams, toCoverageFilter } from '@/lib/coverage/filter';
import { coverageMatrix } from '@/lib/coverage/queries';

export async function GET(request: Request) {
  await requireSection('coverage');
  const url = new URL(request.url);
  const params = parseCoverageParams(Object.fromEntries([...url.searchParams.keys()].map((k) => [k, url.searchParams.getAll(k)])));
  const cells = await coverageMatrix(toCoverageFilter(params), { asOf: params.asOf });
  const day = params.asOf ?? new Date().toISOString().slice(0, 10);
  return new Response(coverageCsv(cells), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="zgoda-coverage-${day}.csv"`,
      'Cache-Control': 'no-store',
    },
  });
}
