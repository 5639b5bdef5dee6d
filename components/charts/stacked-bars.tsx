'use client';

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export type StackedSeries = { key: string; label: string; color: string };

/** Stacked bars per category (e.g. market, or a day when `dates`); numbers and days formatted in the page's locale. */
export function StackedBars({
  data,
  series,
  categoryKey,
  locale,
  label,
  dates = false,
}: {
  data: Array<Record<string, string | number | null>>;
  series: StackedSeries[];
  categoryKey: string;
  locale: string;
  label: string;
  dates?: boolean;
}) {
  const format = (v: unknown) => (typeof v === 'number' ? v.toLocaleString(locale) : String(v));
  const day = (v: unknown) =>
    dates && typeof v === 'string'
      ? new Date(`${v}T00:00:00Z`).toLocaleDateString(locale, { day: 'numeric', month: 'short', year: '2-digit', timeZone: 'UTC' })
      : String(v);
  return (
    <div role="img" aria-label={label} className="h-72 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey={categoryKey} tickLine={false} tickFormatter={day} minTickGap={dates ? 16 : 5} />
          <YAxis tickFormatter={format} width={64} />
          <Tooltip formatter={(value) => format(value)} labelFormatter={day} />
          <Legend />
          {series.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.label} stackId="a" fill={s.color} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
