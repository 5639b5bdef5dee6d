import { requireSection } from '@/lib/auth/session';
import { toCsv } from '@/lib/csv';
import { parseMonitorParams } from '@/lib/monitor/filter';
import type { MonitorChart } from '@/lib/monitor/tables';
import { MONITOR_CHARTS, monitorTable } from '@/lib/monitor/tables';

export async function GET(request: Request) {
  await requireSection('monitor');
  const url = new URL(request.url);
  const chart = url.searchParams.get('chart');
  if (!MONITOR_CHARTS.includes(chart as MonitorChart)) return new Response('Unknown chart', { status: 400 });
  const params = parseMonitorParams(Object.fromEntries([...url.searchParams.keys()].map((k) => [k, url.searchParams.getAll(k)])));
  const table = await monitorTable(chart as MonitorChart, params);
  return new Response(toCsv(table.columns, table.rows), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="zgoda-monitor-${chart}-${params.from}-${params.to}.csv"`,
      'Cache-Control': 'no-store',
    },
  });
}
