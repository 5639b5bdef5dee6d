'use client';

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export type LineSeries = { key: string; label: string; color: string; dash?: string };

/** Shares (0-1) over time, one line per series, with percentages in the page's locale. */
export function ShareLines({
  data,
  series,
  xKey,
  locale,
  label,
}: {
  data: Array<Record<string, string | number | null>>;
  series: LineSeries[];
  xKey: string;
  locale: string;
  label: string;
}) {
  const percent = (v: unknown) => (typeof v === 'number' ? v.toLocaleString(locale, { style: 'percent', maximumFractionDigits: 1 }) : '—');
  const day = (v: unknown) =>
    typeof v === 'string'
      ? new Date(`${v}T00:00:00Z`).toLocaleDateString(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' })
      : String(v);
  return (
    <div role="img" aria-label={label} className="h-72 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey={xKey} tickFormatter={day} minTickGap={24} />
          <YAxis tickFormatter={percent} domain={[0, 'auto']} width={56} />
          <Tooltip formatter={(value) => percent(value)} labelFormatter={day} />
          <Legend />
          {series.map((s) => (
            <Line
              key={s.key}
              type="monotone"
              dataKey={s.key}
              name={s.label}
              stroke={s.color}
              strokeDasharray={s.dash}
              dot={false}
              strokeWidth={2}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
