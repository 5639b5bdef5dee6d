import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import { ConsentGrid } from '@/components/customers/consent-grid';
import { ConsentTimeline } from '@/components/customers/consent-timeline';
import { PrintButton } from '@/components/customers/print-button';
import { requireSection } from '@/lib/auth/session';
import { customerDetail } from '@/lib/customers/detail';
import { parseCustomerId } from '@/lib/customers/filter';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('customer'))('proofTitle') };
}

/** A printable proof of consent: who the customer is, what they allowed when, and the evidence for each step. */
export default async function ProofPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireSection('customers');
  const id = parseCustomerId((await params).id);
  const now = new Date();
  const detail = id === null ? null : await customerDetail(id, now);
  if (!detail) notFound();
  const [t, format] = await Promise.all([getTranslations('customer'), getFormatter()]);
  const { customer } = detail;
  return (
    <article className="mx-auto max-w-4xl space-y-6 bg-white p-6 print:p-0">
      <header className="flex items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">{t('proofTitle')}</h1>
          <p className="text-sm text-slate-600">{t('proofGenerated', { at: format.dateTime(now, 'long'), by: user.name })}</p>
        </div>
        <PrintButton label={t('print')} />
      </header>
      <section>
        <h2 className="mb-2 font-semibold">{t('contact')}</h2>
        <p className="text-sm">
          {[customer.firstName, customer.lastName].filter(Boolean).join(' ')} · {customer.email ?? '—'} · {customer.phone ?? '—'} ·{' '}
          {customer.market} · {t('subtitle', { market: customer.market, id: customer.externalId ?? String(customer.id) })}
        </p>
      </section>
      <section>
        <h2 className="mb-2 font-semibold">{t('consents')}</h2>
        <ConsentGrid grid={detail.grid} />
      </section>
      <section>
        <h2 className="mb-2 font-semibold">{t('timeline')}</h2>
        <ConsentTimeline events={detail.events} />
      </section>
      <p className="text-xs text-slate-500">{t('proofFooter')}</p>
    </article>
  );
}
