import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import { getDb } from '@/db';
import { CommitPanel } from '@/components/import/commit-panel';
import { DryRunSummaryView } from '@/components/import/dry-run-summary';
import { JobProgress } from '@/components/import/job-progress';
import { RetryButton } from '@/components/import/retry-button';
import { ImportSettingsForm } from '@/components/import/settings-form';
import { Alert } from '@/components/ui/alert';
import { Button, buttonClass } from '@/components/ui/button';
import { Card, PageHeader } from '@/components/ui/card';
import { IMPORTERS } from '@/lib/auth/roles';
import { requireRole } from '@/lib/auth/session';
import { parseCustomerId } from '@/lib/customers/filter';
import { getImport } from '@/lib/import/batches';
import { configuredMarkets } from '@/lib/import/dry-run';
import { initialMapping } from '@/lib/import/fields';
import { fileProblemText } from '@/lib/import/file-messages';
import { ImportFileError } from '@/lib/import/read';
import type { ImportFailure } from '@/lib/import/types';
import { discardImportAction } from '../actions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('import'))('title') };
}

export default async function ImportBatchPage({ params }: { params: Promise<{ id: string }> }) {
  await requireRole(...IMPORTERS);
  const id = parseCustomerId((await params).id);
  const db = await getDb();
  const batch = id ? await getImport(db, id) : null;
  if (!batch) notFound();
  const [t, tm, tl, tj, format, marketSet] = await Promise.all([
    getTranslations('import'),
    getTranslations('importMapping'),
    getTranslations('limits'),
    getTranslations('jobs'),
    getFormatter(),
    configuredMarkets(db),
  ]);
  const options = batch.options;
  const sniff = options.sniff;
  const summary = options.summary;
  const markets = [...marketSet].sort();

  if (batch.status === 'committed' && summary) {
    return (
      <>
        <PageHeader
          title={batch.fileName}
          description={t('committedText', {
            when: format.dateTime(batch.committedAt ?? batch.createdAt, 'short'),
            by: batch.createdBy ?? '—',
          })}
        />
        <Alert tone="success" className="mb-6">
          {t('committed', { events: batch.eventsWritten })}
        </Alert>
        <DryRunSummaryView batchId={batch.id} summary={summary} committed eventsWritten={batch.eventsWritten} />
        <Link href={`/customers?batch=${batch.id}`} className={buttonClass('secondary', 'mt-6')}>
          {t('commit.viewCustomers')}
        </Link>
      </>
    );
  }
  if (!sniff) notFound();
  const running = batch.status === 'checking' || batch.status === 'committing' ? batch.status : null;
  const failureText = (failure: ImportFailure): string => {
    if (failure.reason === 'file')
      return fileProblemText(t, tm, tl, new ImportFileError(failure.problem, failure.row, failure.line, failure.malformation));
    if (failure.reason === 'stale') return t('errors.stale');
    return tj(`failed.${failure.step}.${failure.reason}`);
  };
  // A file problem goes with the settings that met it; the batch stays open for others.
  const fileProblem =
    batch.failure?.reason === 'file'
      ? { message: failureText(batch.failure), lenient: !batch.failure.relaxQuotes && batch.failure.malformation?.quoting === true }
      : null;

  const mapping = initialMapping(sniff.header, options.mapping, sniff.preview);
  const fileOptions = {
    defaultMarket: options.options?.defaultMarket ?? '',
    consentSource: options.options?.consentSource ?? '',
    consentDate: options.options?.consentDate ? String(options.options.consentDate).slice(0, 10) : '',
  };
  return (
    <>
      <PageHeader
        title={batch.fileName}
        description={t('description')}
        actions={
          !running && (
            <form action={discardImportAction.bind(null, null)}>
              <input type="hidden" name="batchId" value={batch.id} />
              <Button type="submit" variant="danger">
                {t('commit.discard')}
              </Button>
            </form>
          )
        }
      />
      <div className="space-y-6">
        {running === 'checking' && (
          <Card>
            <JobProgress batchId={batch.id} status={running} />
          </Card>
        )}
        {batch.status === 'failed' && batch.failure?.step === 'dry_run' && (
          <Card>
            <Alert tone="error" className="mb-4">
              {failureText(batch.failure)}
            </Alert>
            <RetryButton batchId={batch.id} />
          </Card>
        )}
        {batch.failure?.reason === 'stale' && batch.status === 'dry_run' && <Alert tone="error">{failureText(batch.failure)}</Alert>}
        {!running && (
          <Card>
            <h2 className="mb-1 text-base font-semibold text-slate-900">{t('format.title')}</h2>
            <p className="mb-4 text-sm text-slate-600">
              {t('format.detected', {
                encoding: sniff.encoding.toUpperCase(),
                delimiter: sniff.delimiter === '\t' ? 'TAB' : sniff.delimiter,
              })}
            </p>
            <ImportSettingsForm
              key={`${sniff.encoding}${sniff.delimiter}${sniff.relaxQuotes ? 'relaxed' : ''}${sniff.header.join('|')}`}
              batchId={batch.id}
              format={{ encoding: sniff.encoding, delimiter: sniff.delimiter, relaxQuotes: sniff.relaxQuotes }}
              header={sniff.header}
              preview={sniff.preview}
              mapping={mapping}
              options={fileOptions}
              markets={markets}
              problem={fileProblem}
            />
          </Card>
        )}
        {summary && (
          <>
            {batch.status === 'dry_run' && <Alert tone="success">{t('dryRunDone')}</Alert>}
            <DryRunSummaryView batchId={batch.id} summary={summary} committed={false} />
            <Card>
              <h2 className="mb-1 text-base font-semibold text-slate-900">{t('commit.title')}</h2>
              <p className="mb-4 text-sm text-slate-600">{t('commit.hint')}</p>
              {/* Progress and failure where the button was: the page stays where the user clicked. */}
              {running === 'committing' ? (
                <JobProgress batchId={batch.id} status={running} />
              ) : batch.status === 'failed' && batch.failure?.step === 'commit' ? (
                <>
                  <Alert tone="error" className="mb-4">
                    {failureText(batch.failure)}
                  </Alert>
                  <RetryButton batchId={batch.id} />
                </>
              ) : (
                <CommitPanel batchId={batch.id} disabled={summary.new + summary.updated === 0} />
              )}
            </Card>
          </>
        )}
      </div>
    </>
  );
}
