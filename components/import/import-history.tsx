import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import type { getFormatter } from 'next-intl/server';
import { Badge } from '@/components/ui/badge';
import { Table, Td, Th } from '@/components/ui/table';
import type { ImportBatchView } from '@/lib/import/batches';

export async function ImportHistory({ batches, format }: { batches: ImportBatchView[]; format: Awaited<ReturnType<typeof getFormatter>> }) {
  const t = await getTranslations('import');
  if (batches.length === 0) return <p className="text-sm text-slate-600">{t('history.empty')}</p>;
  const n = (v: number) => format.number(v);
  return (
    <Table caption={t('history.title')}>
      <thead>
        <tr>
          <Th>{t('history.file')}</Th>
          <Th>{t('history.by')}</Th>
          <Th>{t('history.when')}</Th>
          <Th>{t('history.status')}</Th>
          <Th className="text-right">{t('history.rows')}</Th>
          <Th className="text-right">{t('history.new')}</Th>
          <Th className="text-right">{t('history.updated')}</Th>
          <Th className="text-right">{t('history.unchanged')}</Th>
          <Th className="text-right">{t('history.rejected')}</Th>
          <Th className="text-right">{t('history.events')}</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {batches.map((b) => (
          <tr key={b.id}>
            <Td className="font-medium">
              <Link href={`/customers/import/${b.id}`} className="text-brand-800 hover:underline">
                {b.fileName}
              </Link>
            </Td>
            <Td>{b.createdBy ?? '—'}</Td>
            <Td className="whitespace-nowrap">{format.dateTime(b.committedAt ?? b.createdAt, 'short')}</Td>
            <Td>
              <Badge tone={b.status === 'committed' ? 'good' : b.status === 'failed' ? 'bad' : 'neutral'}>{t(`status.${b.status}`)}</Badge>
            </Td>
            <Td className="text-right tabular-nums">{n(b.rowsTotal)}</Td>
            <Td className="text-right tabular-nums">{n(b.rowsNew)}</Td>
            <Td className="text-right tabular-nums">{n(b.rowsUpdated)}</Td>
            <Td className="text-right tabular-nums">{n(b.rowsUnchanged)}</Td>
            <Td className="text-right tabular-nums">{n(b.rowsRejected)}</Td>
            <Td className="text-right tabular-nums">{n(b.eventsWritten)}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
