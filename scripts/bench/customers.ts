// `npm run bench:customers`: times the customer list (a filtered page and its count) on the benchmark database of
// `npm run bench:coverage` (1,000,000 customers), for the filters people use and coverage links to.
import { listCustomers } from '@/lib/customers/queries';
import { parseCustomerFilter } from '@/lib/customers/filter';
import { measure, openBenchDb } from './lib';

const FILTERS: Array<[string, Record<string, string | string[]>]> = [
  ['all customers', {}],
  ['market DE', { market: 'DE' }],
  ['DE, PL: WhatsApp marketing allowed', { market: ['DE', 'PL'], channel: 'whatsapp', purpose: 'marketing', decision: 'allowed' }],
  ['all: e-mail marketing withdrawn', { channel: 'email', purpose: 'marketing', state: 'withdrawn' }],
  ['FR: SMS marketing blocked, page 20', { market: 'FR', channel: 'sms', purpose: 'marketing', decision: 'blocked', page: '20' }],
  [
    'one import: WhatsApp transactional granted',
    { source: 'import', batch: '3', channel: 'whatsapp', purpose: 'transactional', state: 'granted' },
  ],
  [
    'as of 90 days ago: e-mail marketing allowed',
    {
      channel: 'email',
      purpose: 'marketing',
      decision: 'allowed',
      asOf: new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10),
    },
  ],
  ['search by first and last name', { q: 'Bench Customer 4242' }],
  ['search by last name, DE and PL', { q: 'customer 98765', market: ['DE', 'PL'] }],
  ['search by phone in another format', { q: '0048 600 012 345' }],
  ['search by e-mail', { q: 'c777777@example.com' }],
];

async function main() {
  const h = await openBenchDb();
  const count = await h.db.$count((await import('@/db/schema')).customers);
  console.log(`Customer list on PostgreSQL with ${count.toLocaleString('en')} customers (page of 50 and its count)\n`);
  let worst = 0;
  for (const [label, params] of FILTERS) {
    const filter = parseCustomerFilter(params);
    const { p95 } = await measure(label, 20, () => listCustomers(filter, new Date(), h.db));
    worst = Math.max(worst, p95);
  }
  console.log(`\nworst p95 ${worst.toFixed(1)} ms (target 150 ms)`);
  await h.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
