// `npm run suppressions:apply`: puts every suppressed contact point on the customer records that hold it without its
// withdrawal (records that held it before withdrawals through a contact point reached every record). Safe to run
// again: it writes nothing twice and never undoes a newer grant.
import { runAsScript } from '@/db/script';
import { applySuppressionsToHolders } from '@/lib/suppressions/contact-point';

runAsScript(import.meta.url, async (handle) => {
  const started = Date.now();
  const { customers, events } = await applySuppressionsToHolders(handle.db);
  console.log(`${events} withdrawals written for ${customers} customers in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
});
