import { getTranslations } from 'next-intl/server';
import type { BadgeTone } from '@/components/ui/badge';
import { Badge } from '@/components/ui/badge';
import { CHANNELS, PURPOSES } from '@/lib/consent';
import type { ConsentCell } from '@/lib/customers/detail';

const STATE_TONE: Record<string, BadgeTone> = { granted: 'good', pending_confirmation: 'warn', withdrawn: 'bad', unknown: 'neutral' };

/** Channel x purpose: the customer's consent state, and what the market's rule decides from it. */
export async function ConsentGrid({ grid }: { grid: ConsentCell[] }) {
  const [t, enums] = await Promise.all([getTranslations('customer'), getTranslations('enums')]);
  const cell = (channel: string, purpose: string) => grid.find((c) => c.channel === channel && c.purpose === purpose)!;
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full text-sm" data-testid="consent-grid">
        <thead className="text-left text-xs uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" className="px-3 py-2">
              {t('channel')}
            </th>
            {PURPOSES.map((p) => (
              <th key={p} scope="col" className="px-3 py-2">
                {enums(`purpose.${p}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {CHANNELS.map((channel) => (
            <tr key={channel} data-channel={channel}>
              <th scope="row" className="px-3 py-2 text-left font-medium">
                {enums(`channel.${channel}`)}
              </th>
              {PURPOSES.map((purpose) => {
                const c = cell(channel, purpose);
                return (
                  <td key={purpose} className="px-3 py-2 align-top" data-purpose={purpose}>
                    <Badge tone={STATE_TONE[c.state.status]}>{enums(`status.${c.state.status}`)}</Badge>{' '}
                    <span className={c.decision.allowed ? 'text-emerald-800' : 'text-slate-700'}>
                      {c.decision.allowed ? t('allowed') : t('blocked')}: {t(`reasons.${c.decision.reason}`)}
                    </span>
                    {c.legalReference && <span className="mt-0.5 block text-[11px] text-slate-500">{c.legalReference}</span>}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
