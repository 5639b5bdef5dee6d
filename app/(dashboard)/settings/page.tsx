import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { GuidelinesList } from '@/components/marketplace/guidelines-list';
import { AddMarketForm, RuleRow } from '@/components/markets/rule-forms';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { cn } from '@/components/ui/cn';
import { Table, Td, Th } from '@/components/ui/table';
import { requireSection } from '@/lib/auth/session';
import { EU_FALLBACK } from '@/lib/consent';
import { listMarketPolicies } from '@/lib/consent-store/queries';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('settings'))('markets') };
}

export default async function MarketRulesPage({ searchParams }: { searchParams: Promise<{ market?: string }> }) {
  const user = await requireSection('settings');
  const [t, enums, amazon, rows, { market: asked }] = await Promise.all([
    getTranslations('markets'),
    getTranslations('enums'),
    getTranslations('marketplace'),
    listMarketPolicies(),
    searchParams,
  ]);
  const markets = [...new Set(rows.map((r) => r.market))].sort((a, b) =>
    a === EU_FALLBACK ? 1 : b === EU_FALLBACK ? -1 : a.localeCompare(b),
  );
  const market = markets.includes(asked ?? '') ? asked! : (markets[0] ?? EU_FALLBACK);
  const name = (m: string) => (m === EU_FALLBACK ? t('euFallback') : m);
  const admin = user.role === 'admin';
  const yesNo = (value: boolean) => <Badge tone={value ? 'info' : 'neutral'}>{value ? t('yes') : t('no')}</Badge>;
  const selected = rows.filter((r) => r.market === market);
  return (
    <div className="space-y-6">
      <p className="max-w-3xl text-sm text-slate-600">{admin ? t('descriptionAdmin') : t('description')}</p>
      <nav aria-label={t('market')} className="flex flex-wrap gap-2">
        {markets.map((m) => (
          <Link
            key={m}
            href={`/settings?market=${m}`}
            aria-current={m === market ? 'page' : undefined}
            className={cn(
              'rounded-md px-3 py-1.5 text-sm font-medium ring-1 ring-inset',
              m === market ? 'bg-brand-700 text-white ring-brand-700' : 'bg-white text-slate-700 ring-slate-300 hover:bg-slate-50',
            )}
          >
            {name(m)}
          </Link>
        ))}
      </nav>
      <Table caption={t('captionFor', { market: name(market) })}>
        <thead>
          <tr>
            <Th>{t('channel')}</Th>
            <Th>{t('purpose')}</Th>
            <Th>{t('priorConsent')}</Th>
            <Th>{t('doubleOptIn')}</Th>
            <Th>{t('exception')}</Th>
            <Th>{t('validMonths')}</Th>
            <Th>{t('legalReference')}</Th>
            {admin && (
              <Th>
                <span className="sr-only">{t('save')}</span>
              </Th>
            )}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {selected.map((r) =>
            admin ? (
              <RuleRow
                key={`${r.channel}:${r.purpose}`}
                rule={r}
                channelLabel={enums(`channel.${r.channel}`)}
                purposeLabel={enums(`purpose.${r.purpose}`)}
              />
            ) : (
              <tr key={`${r.channel}:${r.purpose}`}>
                <Td className="font-medium">{enums(`channel.${r.channel}`)}</Td>
                <Td>{enums(`purpose.${r.purpose}`)}</Td>
                <Td>{yesNo(r.priorConsentRequired)}</Td>
                <Td>{yesNo(r.doubleOptInRequired)}</Td>
                <Td>{yesNo(r.existingCustomerException)}</Td>
                <Td className="tabular-nums">{r.consentValidMonths ?? t('noExpiry')}</Td>
                <Td className="text-xs text-slate-600">{r.legalReference}</Td>
              </tr>
            ),
          )}
        </tbody>
      </Table>
      {admin && (
        <Card>
          <h2 className="mb-3 text-base font-semibold text-slate-900">{t('addMarketTitle')}</h2>
          <AddMarketForm templates={markets.map((m) => ({ value: m, label: name(m) }))} />
        </Card>
      )}
      <Card>
        <h2 className="mb-2 text-base font-semibold text-slate-900">{amazon('rulesTitle')}</h2>
        <p className="mb-3 max-w-3xl text-sm text-slate-700">{amazon('rulesText')}</p>
        <h3 className="mb-1 text-sm font-semibold text-slate-900">{amazon('rulesSources')}</h3>
        <div data-testid="marketplace-guidelines">
          <GuidelinesList className="list-disc space-y-1 pl-5 text-sm text-slate-700" />
        </div>
      </Card>
    </div>
  );
}
