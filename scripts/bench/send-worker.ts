// A send worker in a process of its own, for bench:send to kill: sends from one phone number until nothing is left,
// printing its memory every two seconds as JSON lines.
import { setTimeout as sleep } from 'node:timers/promises';
import { graphSender, runSender } from '@/lib/campaigns/send';
import { openBenchDb } from './lib';

async function main() {
  const [url, phoneNumberId, baseUrl, accessToken] = process.argv.slice(2) as [string, string, string, string];
  const h = await openBenchDb(url);
  const config = { baseUrl, apiVersion: 'v25.0', phoneNumberId, businessAccountId: '1', accessToken };
  const timer = setInterval(() => console.log(JSON.stringify({ rss: process.memoryUsage().rss })), 2000);
  for (;;) {
    const result = await runSender(h.db, phoneNumberId, {
      leaseMs: Number(process.env.BENCH_LEASE_MS ?? 3000),
      sliceMs: 60_000,
      send: graphSender(config),
    });
    if (result.state === 'idle') break;
    await sleep(
      result.state === 'later' ? Math.min(1000, Math.max(0, result.at.getTime() - Date.now())) : result.state === 'busy' ? 500 : 0,
    );
  }
  clearInterval(timer);
  console.log(JSON.stringify({ done: true, rss: process.memoryUsage().rss }));
  await h.close();
}

void main();
