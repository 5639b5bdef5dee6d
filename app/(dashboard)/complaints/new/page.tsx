import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { ComplaintForm } from '@/components/complaints/complaint-form';
import { buttonClass } from '@/components/ui/button';
import { Card, PageHeader } from '@/components/ui/card';
import { Field, Input } from '@/components/ui/field';
import { requireRole } from '@/lib/auth/session';
import { customerSummary, findCustomers, recentCampaigns } from '@/lib/complaints/queries';
import { coverageFilterOptions } from '@/lib/coverage/queries';
import { parseCustomerId } from '@/lib/customers/filter';
import { userTimeZone } from '@/lib/i18n/user-time-zone';
import { utcToLocal } from '@/lib/i18n/time';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('complaints'))('logComplaint') };
}

const name = (c: { firstName: string | null; lastName: string | null; id: number }) =>
  [c.firstName, c.lastName].filter(Boolean).join(' ') || `#${c.id}`;

export default async function NewComplaintPage({ searchParams }: { searchParams: Promise<{ q?: string; customer?: string }> }) {
  await requireRole('admin', 'seller', 'support');
  const params = await searchParams;
  const q = typeof params.q === 'string' ? params.q.slice(0, 200) : '';
  const customerId = typeof params.customer === 'string' ? parseCustomerId(params.customer) : null;
  const [t, customer, matches, campaigns, options, timeZone] = await Promise.all([
    getTranslations('complaints.form'),
    customerId ? customerSummary(customerId) : null,
    q && !customerId ? findCustomers(q) : [],
    recentCampaigns(),
    coverageFilterOptions(),
    userTimeZone(),
  ]);
  const format = await getFormatter();
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <div className="space-y-6">
        <Card>
          <h2 className="mb-3 text-base font-semibold text-slate-900">{t('who')}</h2>
          {customer ? (
            <div className="flex flex-wrap items-center justify-between gap-3 text-sm">
              <p data-testid="chosen-customer">
                <Link href={`/customers/${customer.id}`} className="font-medium text-brand-800 hover:underline">
                  {name(customer)}
                </Link>{' '}
                · {[customer.phone, customer.email, customer.market].filter(Boolean).join(' · ')}
              </p>
              <Link href="/complaints/new" className={buttonClass('secondary')}>
                {t('changeCustomer')}
              </Link>
            </div>
          ) : (
            <>
              <form method="get" action="/complaints/new" className="flex flex-wrap items-start gap-2">
                <div className="min-w-64 flex-1">
                  <Field id="find" label={t('find')} hint={t('findHint')}>
                    <Input id="find" name="q" type="search" defaultValue={q} />
                  </Field>
                </div>
                <button type="submit" className={buttonClass('secondary', 'mt-6')}>
                  {t('search')}
                </button>
              </form>
              {q && (
                <div className="mt-4" role="status">
                  {matches.length === 0 ? (
                    <p className="text-sm text-slate-600">{t('noMatch')}</p>
                  ) : (
                    <ul className="divide-y divide-slate-100 rounded-md ring-1 ring-slate-200">
                      {matches.map((m) => (
                        <li key={m.id} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2 text-sm">
                          <span>
                            <span className="font-medium">{name(m)}</span> · {[m.phone, m.email, m.market].filter(Boolean).join(' · ')}
                          </span>
                          <Link
                            href={`/complaints/new?customer=${m.id}`}
                            className={buttonClass('secondary', 'px-2 py-1 text-xs')}
                            aria-label={t('chooseCustomer', { name: name(m) })}
                          >
                            {t('choose')}
                          </Link>
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
              )}
              <p className="mt-3 text-sm text-slate-600">{t('unknownHint')}</p>
            </>
          )}
        </Card>
        <Card>
          <ComplaintForm
            key={customer?.id ?? 'unknown'}
            customer={customer ? { id: customer.id, label: name(customer), market: customer.market } : null}
            campaigns={campaigns.map((c) => ({ id: c.id, label: `${c.name} · ${format.dateTime(c.exportedAt, 'short')}` }))}
            markets={options.markets}
            now={utcToLocal(new Date(), timeZone)}
          />
        </Card>
      </div>
    </>
  );
}
