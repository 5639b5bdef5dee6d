import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import { getDb } from '@/db';
import { CommitPanel } from '@/components/import/commit-panel';
import { DryRunSummaryView } from '@/components/import/dry-run-summary';
import { ImportSettingsForm } from '@/components/import/settings-form';
import { Alert } from '@/components/ui/alert';
import { Button, buttonClass } from '@/components/ui/button';
import { Card, PageHeader } from '@/components/ui/card';
import { IMPORTERS } from '@/lib/auth/roles';
import { requireRole } from '@/lib/auth/session';
import { parseCustomerId } from '@/lib/customers/filter';
import type { BatchOptions } from '@/lib/import/batches';
import { getImport } from '@/lib/import/batches';
import { initialMapping } from '@/lib/import/fields';
import { configuredMarkets } from '@/lib/import/stage';
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
  const [t, format, marketSet] = await Promise.all([getTranslations('import'), getFormatter(), configuredMarkets(db)]);
  const options = batch.options as BatchOptions;
  const sniff = options.sniff;
  const summary = options.summary;
  const markets = [...marketSet].sort();

  if (batch.status === 'committed' && summary) {
    return (
      <>
        <PageHeader title={batch.fileName} description={t('committedText', { when: format.dateTime(batch.committedAt ?? batch.createdAt, 'short'), by: batch.createdBy ?? '—' })} />
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
          <form action={discardImportAction.bind(null, null)}>
            <input type="hidden" name="batchId" value={batch.id} />
            <Button type="submit" variant="danger">
              {t('commit.discard')}
            </Button>
          </form>
        }
      />
      <div className="space-y-6">
        <Card>
          <h2 className="mb-1 text-base font-semibold text-slate-900">{t('format.title')}</h2>
          <p className="mb-4 text-sm text-slate-600">
            {t('format.detected', { encoding: sniff.encoding.toUpperCase(), delimiter: sniff.delimiter === '\t' ? 'TAB' : sniff.delimiter })}
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
          />
        </Card>
        {summary && (
          <>
            <DryRunSummaryView batchId={batch.id} summary={summary} committed={false} />
            <Card>
              <h2 className="mb-1 text-base font-semibold text-slate-900">{t('commit.title')}</h2>
              <p className="mb-4 text-sm text-slate-600">{t('commit.hint')}</p>
              <CommitPanel batchId={batch.id} disabled={summary.new + summary.updated === 0} />
            </Card>
          </>
        )}
      </div>
    </>
  );
}
