// `npm run audit:verify`: walks the audit log's hash chain and says where it holds up to, or names the first entry
// where it breaks (exit code 1). The result is itself written to the audit log, as the page's "Verify now" does.
import { runAsScript } from '@/db/script';
import { describeReport, recordVerification, verifyChain } from '@/lib/audit/chain';

runAsScript(import.meta.url, async (handle) => {
  const started = Date.now();
  const report = await verifyChain(handle.db);
  console.log(`${describeReport(report)} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  await recordVerification(handle.db, report, null, 'command_line');
  if (!report.ok) process.exitCode = 1;
});
