import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { CHANNELS, PURPOSES } from '@/lib/consent';
import type { MarketplaceCounts } from '@/lib/coverage/queries';
import type { CustomerFilter } from '@/lib/customers/filter';
import { customerFilterQuery } from '@/lib/customers/filter';

/** Coverage of Amazon buyers: how many there are, and per channel and purpose how many Amazon's rules block. */
export async function MarketplaceCoverage({ counts, base }: { counts: MarketplaceCounts; base: Partial<CustomerFilter> }) {
  if (counts.buyers === 0) return null;
  const [t, enums, reasons, format] = await Promise.all([
    getTranslations('marketplace'),
    getTranslations('enums'),
    getTranslations('customer.reasons'),
    getFormatter(),
  ]);
  const n = (channel: string, purpose: string) => counts.blocked.find((b) => b.channel === channel && b.purpose === purpose)?.n ?? 0;
  return (
    <div className="mt-6" data-testid="marketplace-coverage">
      <Card>
        <h2 className="mb-2 text-base font-semibold text-slate-900">{t('coverageTitle')}</h2>
        <p className="mb-3 max-w-3xl text-sm text-slate-700">{t('coverageNote', { count: counts.buyers })}</p>
        <Table caption={reasons('marketplace_policy')}>
          <thead>
            <tr>
              <Th>{reasons('marketplace_policy')}</Th>
              {PURPOSES.map((p) => (
                <Th key={p} className="text-right">
                  {enums(`purpose.${p}`)}
                </Th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {CHANNELS.map((channel) => (
              <tr key={channel} data-channel={channel}>
                <Td className="font-medium">{enums(`channel.${channel}`)}</Td>
                {PURPOSES.map((purpose) => (
                  <Td key={purpose} className="text-right tabular-nums" data-purpose={purpose}>
                    <Link
                      href={`/customers?${customerFilterQuery({ ...base, channel, purpose, reason: 'marketplace_policy' })}`}
                      className="text-brand-800 hover:underline"
                      aria-label={t('coverageBlocked', {
                        channel: enums(`channel.${channel}`),
                        purpose: enums(`purpose.${purpose}`).toLowerCase(),
                      })}
                    >
                      {format.number(n(channel, purpose))}
                    </Link>
                  </Td>
                ))}
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>
    </div>
  );
}
