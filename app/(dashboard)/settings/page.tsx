import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { Badge } from '@/components/ui/badge';
import { Table, Td, Th } from '@/components/ui/table';
import { requireSection } from '@/lib/auth/session';
import { listMarketPolicies } from '@/lib/consent-store/queries';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('settings'))('markets') };
}

export default async function MarketRulesPage() {
  await requireSection('settings');
  const [t, enums, rows] = await Promise.all([getTranslations('markets'), getTranslations('enums'), listMarketPolicies()]);
  const yesNo = (value: boolean) => <Badge tone={value ? 'info' : 'neutral'}>{value ? t('yes') : t('no')}</Badge>;
  return (
    <>
      <p className="mb-4 max-w-3xl text-sm text-slate-600">{t('description')}</p>
      <Table caption={t('caption')}>
        <thead>
          <tr>
            <Th>{t('market')}</Th>
            <Th>{t('channel')}</Th>
            <Th>{t('purpose')}</Th>
            <Th>{t('priorConsent')}</Th>
            <Th>{t('doubleOptIn')}</Th>
            <Th>{t('exception')}</Th>
            <Th>{t('validMonths')}</Th>
            <Th>{t('legalReference')}</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((r) => (
            <tr key={`${r.market}:${r.channel}:${r.purpose}`}>
              <Td className="font-medium">{r.market === 'EU' ? t('euFallback') : r.market}</Td>
              <Td>{enums(`channel.${r.channel}`)}</Td>
              <Td>{enums(`purpose.${r.purpose}`)}</Td>
              <Td>{yesNo(r.priorConsentRequired)}</Td>
              <Td>{yesNo(r.doubleOptInRequired)}</Td>
              <Td>{yesNo(r.existingCustomerException)}</Td>
              <Td className="tabular-nums">{r.consentValidMonths ?? t('noExpiry')}</Td>
              <Td className="text-xs text-slate-600">{r.legalReference}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}
