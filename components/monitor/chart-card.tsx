import type { ReactNode } from 'react';
import { getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import type { Cell } from '@/lib/monitor/tables';

/** A chart with its title, a table view of the same numbers for screen readers and keyboards, and a CSV download. */
export async function ChartCard({
  id,
  title,
  csvHref,
  columns,
  rows,
  empty,
  children,
}: {
  id: string;
  title: string;
  csvHref: string;
  columns: string[];
  rows: ReactNode[][];
  empty?: string;
  children: ReactNode;
}) {
  const [t, a11y] = await Promise.all([getTranslations('monitor'), getTranslations('a11y')]);
  return (
    <Card>
      <section aria-labelledby={`${id}-title`} id={id} className="scroll-mt-20">
        <div className="mb-3 flex flex-wrap items-start justify-between gap-2">
          <h2 id={`${id}-title`} className="text-base font-semibold text-slate-900">
            {title}
          </h2>
          <a href={csvHref} className="text-sm font-medium text-brand-800 hover:underline" download>
            {t('downloadCsv')}
          </a>
        </div>
        {empty ? <p className="py-10 text-center text-sm text-slate-600">{empty}</p> : children}
        {!empty && (
          <details className="mt-3 text-sm" data-testid={`${id}-table`}>
            <summary className="cursor-pointer font-medium text-brand-800">{t('showTable')}</summary>
            {/* A scrolling region must take keyboard focus, or its hidden rows are out of reach without a mouse. */}
            <div
              role="region"
              aria-label={a11y('chartTable', { title })}
              tabIndex={0}
              className="mt-2 max-h-96 overflow-auto rounded-md ring-1 ring-slate-200 focus-visible:outline-2 focus-visible:outline-brand-700"
            >
              <table className="min-w-full divide-y divide-slate-200 text-sm">
                <caption className="sr-only">{title}</caption>
                <thead className="sticky top-0 bg-slate-50">
                  <tr>
                    {columns.map((c) => (
                      <th key={c} scope="col" className="px-3 py-2 text-left text-xs font-semibold text-slate-600">
                        {c}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {rows.map((row, i) => (
                    <tr key={i}>
                      {row.map((cell, j) =>
                        j === 0 ? (
                          <th key={j} scope="row" className="whitespace-nowrap px-3 py-1.5 text-left font-medium text-slate-800">
                            {cell}
                          </th>
                        ) : (
                          <td key={j} className="px-3 py-1.5 tabular-nums text-slate-800">
                            {cell}
                          </td>
                        ),
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        )}
      </section>
    </Card>
  );
}

export type { Cell };
