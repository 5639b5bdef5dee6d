'use client';

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

/** One horizontal bar per category with a rate (0-1), in percent in the page's locale. */
export function RateBars({
  data,
  categoryKey,
  valueKey,
  valueLabel,
  locale,
  label,
  color = '#dc2626',
}: {
  data: Array<Record<string, string | number | null>>;
  categoryKey: string;
  valueKey: string;
  valueLabel: string;
  locale: string;
  label: string;
  color?: string;
}) {
  const percent = (v: unknown) => (typeof v === 'number' ? v.toLocaleString(locale, { style: 'percent', maximumFractionDigits: 2 }) : '—');
  const height = Math.max(160, 40 + data.length * 32);
  return (
    <div role="img" aria-label={label} className="w-full" style={{ height }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} layout="vertical" margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" tickFormatter={percent} domain={[0, 'auto']} />
          <YAxis type="category" dataKey={categoryKey} width={120} tick={{ fontSize: 12 }} />
          <Tooltip formatter={(value) => [percent(value), valueLabel]} />
          <Bar dataKey={valueKey} name={valueLabel} fill={color} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
