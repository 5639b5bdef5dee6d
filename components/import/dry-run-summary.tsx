import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { Alert } from '@/components/ui/alert';
import { MarketplaceDryRunWarning } from '@/components/marketplace/dry-run-warning';
import { Card } from '@/components/ui/card';
import { Stat } from '@/components/ui/stat';
import { Table, Td, Th } from '@/components/ui/table';
import { CHANNELS } from '@/lib/consent';
import { issueText } from '@/lib/import/issues';
import type { DryRunSummary, IssueAt } from '@/lib/import/types';

/** The counts of a dry run (or of a committed import), the first errors and warnings, and the rejected rows. */
export async function DryRunSummaryView({
  batchId,
  summary,
  committed,
  eventsWritten,
}: {
  batchId: number;
  summary: DryRunSummary;
  committed: boolean;
  eventsWritten?: number;
}) {
  const [t, tm, enums, format] = await Promise.all([
    getTranslations('import'),
    getTranslations('importMapping'),
    getTranslations('enums'),
    getFormatter(),
  ]);
  const consentIgnored = summary.ignoredConsentColumns ?? [];
  const n = (v: number) => format.number(v);
  const issues = (title: string, list: IssueAt[], testId: string) =>
    list.length > 0 && (
      <div data-testid={testId}>
        <h3 className="mb-2 mt-6 text-sm font-semibold text-slate-900">{title}</h3>
        <Table caption={title}>
          <thead>
            <tr>
              <Th className="text-right">{t('summary.row')}</Th>
              <Th className="text-right">{t('summary.line')}</Th>
              <Th>{t('summary.column')}</Th>
              <Th>{t('summary.value')}</Th>
              <Th>{t('summary.reason')}</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {list.map((issue, i) => (
              <tr key={i}>
                <Td className="text-right tabular-nums">{n(issue.row)}</Td>
                <Td className="text-right tabular-nums">{n(issue.line)}</Td>
                <Td>{issue.column ?? '—'}</Td>
                <Td className="max-w-48 truncate font-mono text-xs">{issue.value || '—'}</Td>
                <Td>{issueText(t, issue, tm)}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </div>
    );
  return (
    <Card>
      <h2 className="mb-4 text-base font-semibold text-slate-900">{committed ? t('committedTitle') : t('summary.title')}</h2>
      <dl className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6" data-testid="import-counts">
        <Stat label={t('summary.rows')} value={n(summary.rows)} />
        <Stat label={t('summary.new')} value={n(summary.new)} />
        <Stat label={t('summary.updated')} value={n(summary.updated)} />
        <Stat label={t('summary.unchanged')} value={n(summary.unchanged)} />
        <Stat label={t('summary.rejected')} value={n(summary.rejected)} />
        <Stat label={t('summary.warned')} value={n(summary.warned)} />
      </dl>
      {consentIgnored.length > 0 && (
        <Alert tone="warning" className="mt-6">
          <span data-testid="import-consent-ignored">
            {tm('consentIgnoredDryRun', { count: consentIgnored.length, columns: consentIgnored.join(', ') })}
          </span>
        </Alert>
      )}
      <h3 className="mb-2 mt-6 text-sm font-semibold text-slate-900">{committed ? t('summary.eventsDone') : t('summary.events')}</h3>
      <ul className="flex flex-wrap gap-x-6 gap-y-1 text-sm text-slate-700" data-testid="import-events">
        {CHANNELS.map((channel) => (
          <li key={channel}>
            {enums(`channel.${channel}`)}: <span className="font-semibold tabular-nums">{n(summary.events[channel])}</span>
          </li>
        ))}
        {committed && eventsWritten !== undefined && (
          <li>
            Σ <span className="font-semibold tabular-nums">{n(eventsWritten)}</span>
          </li>
        )}
      </ul>
      <MarketplaceDryRunWarning count={summary.marketplace} />
      {issues(t('summary.errors'), summary.firstErrors, 'import-errors')}
      {issues(t('summary.warnings'), summary.firstWarnings, 'import-warnings')}
      {summary.rejected > 0 && (
        <Link
          href={`/customers/import/${batchId}/rejected`}
          prefetch={false}
          className="mt-4 inline-block text-sm font-medium text-brand-800 hover:underline"
        >
          {t('summary.downloadRejected')}
        </Link>
      )}
    </Card>
  );
}
