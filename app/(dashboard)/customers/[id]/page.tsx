import type { Metadata } from 'next';
import { headers } from 'next/headers';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import { ConsentGrid } from '@/components/customers/consent-grid';
import { ConsentTimeline } from '@/components/customers/consent-timeline';
import { CustomerLinks } from '@/components/customers/customer-links';
import { RecordConsentForm } from '@/components/customers/record-consent-form';
import { MarketplaceNotice } from '@/components/marketplace/marketplace-notice';
import { EraseCustomerForm } from '@/components/privacy/erase-customer-form';
import { Alert } from '@/components/ui/alert';
import { buttonClass } from '@/components/ui/button';
import { Card, PageHeader } from '@/components/ui/card';
import { requireSection } from '@/lib/auth/session';
import { isAmazonRelayEmail, isMarketplaceBuyer } from '@/lib/consent';
import { customerDetail } from '@/lib/customers/detail';
import { parseCustomerId } from '@/lib/customers/filter';
import { customerLinks, linkBase } from '@/lib/preferences/links';
import { customerReplySignals } from '@/lib/replies/queries';

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  return { title: `${(await getTranslations('nav'))('customers')} #${(await params).id}` };
}

export default async function CustomerPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireSection('customers');
  const id = parseCustomerId((await params).id);
  const detail = id === null ? null : await customerDetail(id);
  if (!detail) notFound();
  const { customer } = detail;
  const [t, replies, privacy, format, signals, linksText, requestHeaders] = await Promise.all([
    getTranslations('customer'),
    getTranslations('replies'),
    getTranslations('privacy'),
    getFormatter(),
    customerReplySignals(customer.id, customer.phone),
    getTranslations('customerLinks'),
    headers(),
  ]);
  const base = linkBase(process.env, requestHeaders);
  const links = base.ok && !customer.erasedAt ? customerLinks(base.base, customer.id) : null;
  const name = [customer.firstName, customer.lastName].filter(Boolean).join(' ') || t('unnamed');
  const row = (label: string, value: string | null | undefined) => (
    <div className="contents">
      <dt className="max-w-32 text-slate-600">{label}</dt>
      <dd className="wrap-anywhere text-slate-900">{value || '—'}</dd>
    </div>
  );
  return (
    <>
      <PageHeader
        title={name}
        description={t('subtitle', { market: customer.market, id: customer.externalId ?? String(customer.id) })}
        actions={
          <div className="flex gap-2">
            <Link href={`/customers/${customer.id}/proof`} className={buttonClass('secondary')}>
              {t('proofPrint')}
            </Link>
            <a href={`/customers/${customer.id}/proof.json`} className={buttonClass('secondary')} download>
              {t('proofJson')}
            </a>
          </div>
        }
      />
      {customer.erasedAt && (
        <Alert tone="warning" className="mb-6">
          <span data-testid="erased-banner">{privacy('erasedBanner', { at: format.dateTime(customer.erasedAt, 'long') })}</span>
        </Alert>
      )}
      <div className="grid gap-6 lg:grid-cols-3">
        <Card>
          <h2 className="mb-3 text-base font-semibold">{t('contact')}</h2>
          <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
            {row(t('email'), customer.email)}
            {row(t('phone'), customer.phone)}
            {row(t('market'), customer.market)}
            {row(t('language'), customer.language)}
            {row(t('source'), customer.source)}
            {row(t('import'), customer.importFile ? `#${customer.importBatchId} ${customer.importFile}` : null)}
            {row(t('lastOrder'), customer.lastOrderAt ? format.dateTime(customer.lastOrderAt, 'short') : null)}
            {row(t('objectionNotice'), customer.objectionNoticeAt ? format.dateTime(customer.objectionNoticeAt, 'short') : null)}
            {row(t('added'), format.dateTime(customer.createdAt, 'short'))}
          </dl>
        </Card>
        <Card className="lg:col-span-2">
          <h2 className="mb-3 text-base font-semibold">{t('consents')}</h2>
          {isMarketplaceBuyer(customer) && <MarketplaceNotice relayEmail={isAmazonRelayEmail(customer.email)} />}
          <ConsentGrid grid={detail.grid} />
        </Card>
      </div>
      <Card className="mt-6">
        <h2 className="mb-1 text-base font-semibold">{linksText('title')}</h2>
        <p className="mb-3 text-sm text-slate-600">{linksText('hint')}</p>
        {links ? (
          <CustomerLinks
            links={[
              { key: 'preferences', url: links.preferences },
              ...(customer.email ? [{ key: 'unsubscribe' as const, url: links.unsubscribe }] : []),
            ]}
          />
        ) : (
          <p className="text-sm text-slate-700" data-testid="customer-links-missing">
            {customer.erasedAt ? linksText('erased') : !base.ok ? linksText(base.reason) : null}
          </p>
        )}
      </Card>
      {user.role !== 'manager' && !customer.erasedAt && (
        <Card className="mt-6">
          <h2 className="mb-3 text-base font-semibold">{t('record.title')}</h2>
          <RecordConsentForm customerId={customer.id} />
        </Card>
      )}
      {(signals.open.length > 0 || signals.resumes.length > 0) && (
        <Card className="mt-6">
          <h2 className="mb-3 text-base font-semibold">{replies('customerSignals')}</h2>
          <ul className="space-y-2 text-sm" data-testid="whatsapp-signals">
            {signals.open.map((r) => (
              <li key={`r${r.id}`}>
                {replies('customerOpenReply', { at: format.dateTime(r.receivedAt, 'long'), text: r.text || replies('voiceMessage') })}{' '}
                <Link href="/replies" className="font-medium text-brand-800 hover:underline">
                  {replies('overviewLink')}
                </Link>
              </li>
            ))}
            {signals.resumes.map((r) => (
              <li key={`s${r.id}`}>{replies('customerResumeSignal', { at: format.dateTime(r.occurredAt, 'long') })}</li>
            ))}
          </ul>
        </Card>
      )}
      <Card className="mt-6">
        <h2 className="mb-3 text-base font-semibold">{t('timeline')}</h2>
        <ConsentTimeline events={detail.events} />
      </Card>
      {user.role !== 'manager' && (
        <Card className="mt-6">
          <h2 className="mb-4 text-base font-semibold">{privacy('title')}</h2>
          {customer.erasedAt ? (
            <p className="text-sm text-slate-700">{privacy('access.erased')}</p>
          ) : (
            <div className="grid gap-8 lg:grid-cols-2">
              <section aria-labelledby="access-export-title">
                <h3 id="access-export-title" className="mb-2 text-sm font-semibold">
                  {privacy('access.title')}
                </h3>
                <p className="mb-3 text-sm text-slate-700">{privacy('access.text')}</p>
                <div className="flex flex-wrap gap-2">
                  <Link href={`/customers/${customer.id}/access-export`} className={buttonClass('secondary')}>
                    {privacy('access.page')}
                  </Link>
                  <a href={`/customers/${customer.id}/access-export.json`} className={buttonClass('secondary')} download>
                    {privacy('access.json')}
                  </a>
                </div>
              </section>
              <section aria-labelledby="erase-title">
                <h3 id="erase-title" className="mb-2 text-sm font-semibold">
                  {privacy('erase.title')}
                </h3>
                <EraseCustomerForm customerId={customer.id} />
              </section>
            </div>
          )}
        </Card>
      )}
    </>
  );
}
