// The audience of a draft: per market, how many customers the message may lawfully reach and how many are blocked
// and why, each number linking to the customer list of exactly those customers.
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { Table, Td, Th } from '@/components/ui/table';
import type { BlockReason, Purpose } from '@/lib/consent';
import type { AudienceCounts } from '@/lib/messages/audience';
import { BLOCKED_ORDER, audienceListHref } from '@/lib/messages/audience';
import type { Audience } from '@/lib/messages/input';

export async function AudienceTable({ counts, purpose, audience }: { counts: AudienceCounts; purpose: Purpose; audience: Audience }) {
  const [t, reasons, format] = await Promise.all([getTranslations('messages'), getTranslations('customer.reasons'), getFormatter()]);
  const reasonsShown = BLOCKED_ORDER.filter((r) => (counts.blocked[r] ?? 0) > 0);
  const cell = (n: number, market: string | undefined, reason: BlockReason | 'allowed') =>
    n > 0 ? (
      <Link href={audienceListHref(purpose, audience, { market, reason })} className="text-brand-800 tabular-nums hover:underline">
        {format.number(n)}
      </Link>
    ) : (
      <span className="text-slate-400 tabular-nums">0</span>
    );
  const label = (r: BlockReason) => (r === 'no_contact_point' ? t('noWhatsAppNumber') : reasons(r));
  type Row = { key: string; market?: string; total: number; allowed: number; blocked: AudienceCounts['blocked'] };
  const rows: Row[] = [
    ...counts.markets.map((m) => ({ key: m.market, ...m })),
    { key: 'all', total: counts.total, allowed: counts.allowed, blocked: counts.blocked },
  ];
  return (
    <Table caption={t('audienceTableCaption')}>
      <thead>
        <tr>
          <Th>{t('market')}</Th>
          <Th className="text-right">{t('customers')}</Th>
          <Th className="text-right">{t('mayReach')}</Th>
          {reasonsShown.map((r) => (
            <Th key={r} className="text-right">
              {label(r)}
            </Th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((row) => (
          <tr key={row.key} data-market={row.key} className={row.market ? undefined : 'bg-slate-50 font-medium'}>
            <Td>{row.market ?? t('allMarkets')}</Td>
            <Td className="text-right tabular-nums">{format.number(row.total)}</Td>
            <Td className="text-right font-semibold">{cell(row.allowed, row.market, 'allowed')}</Td>
            {reasonsShown.map((r) => (
              <Td key={r} className="text-right">
                {cell(row.blocked[r] ?? 0, row.market, r)}
              </Td>
            ))}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
