import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import { ComplaintStatusForm } from '@/components/complaints/status-form';
import { ComplaintStatusBadge } from '@/components/complaints/status-badge';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Card, PageHeader } from '@/components/ui/card';
import { requireSection } from '@/lib/auth/session';
import { complaintAssignees, complaintDetail } from '@/lib/complaints/queries';
import { parseCustomerId } from '@/lib/customers/filter';

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const t = await getTranslations('complaints.detail');
  return { title: t('title', { id: (await params).id }) };
}

export default async function ComplaintPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ logged?: string }>;
}) {
  const user = await requireSection('complaints');
  const id = parseCustomerId((await params).id);
  if (!id || id > 2_147_483_647) notFound();
  const [t, enums, format, complaint, assignees, { logged }] = await Promise.all([
    getTranslations('complaints.detail'),
    getTranslations('enums'),
    getFormatter(),
    complaintDetail(id),
    complaintAssignees(),
    searchParams,
  ]);
  if (!complaint) notFound();
  const who = [complaint.firstName, complaint.lastName].filter(Boolean).join(' ');
  const row = (label: string, value: React.ReactNode) => (
    <div className="grid grid-cols-3 gap-2 py-2">
      <dt className="text-sm text-slate-600">{label}</dt>
      <dd className="col-span-2 text-sm text-slate-900">{value}</dd>
    </div>
  );
  return (
    <>
      <PageHeader
        title={t('title', { id: complaint.id })}
        description={`${enums(`complaintKind.${complaint.kind}`)} · ${enums(`channel.${complaint.channel}`)}`}
        actions={
          <Link href="/complaints" className="text-sm font-medium text-brand-800 hover:underline">
            {t('back')}
          </Link>
        }
      />
      {logged && (
        <Alert tone="success" className="mb-6">
          {t('logged')}
        </Alert>
      )}
      {complaint.urgent && complaint.status !== 'resolved' && (
        <Alert tone="error" className="mb-6">
          {t('urgentNote')}
        </Alert>
      )}
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <dl className="divide-y divide-slate-100">
            {row(
              t('status'),
              <span className="flex flex-wrap gap-2">
                <ComplaintStatusBadge status={complaint.status} />
                {complaint.urgent && <Badge tone="bad">{t('urgent')}</Badge>}
              </span>,
            )}
            {row(t('receivedAt'), format.dateTime(complaint.receivedAt, 'long'))}
            {row(
              t('customer'),
              complaint.customerId ? (
                <Link href={`/customers/${complaint.customerId}`} className="font-medium text-brand-800 hover:underline">
                  {who || `#${complaint.customerId}`}
                </Link>
              ) : (
                <span>
                  {[complaint.contactPhone, complaint.contactEmail].filter(Boolean).join(' · ') || '—'} <Badge>{t('unknownContact')}</Badge>
                </span>
              ),
            )}
            {row(t('market'), complaint.market ?? '—')}
            {row(t('campaign'), complaint.campaignName ?? '—')}
            {row(t('assignee'), complaint.assigneeName ?? '—')}
            {row(t('loggedBy'), `${complaint.createdByName ?? '—'} · ${format.dateTime(complaint.createdAt, 'short')}`)}
            {row(t('description'), <span className="whitespace-pre-wrap">{complaint.description}</span>)}
            {complaint.resolutionNote && row(t('resolutionNote'), <span className="whitespace-pre-wrap">{complaint.resolutionNote}</span>)}
          </dl>
        </Card>
        <Card>
          <h2 className="mb-3 text-base font-semibold text-slate-900">{t('workOn')}</h2>
          {user.role === 'manager' ? (
            <p className="text-sm text-slate-600">{t('readOnly')}</p>
          ) : (
            <ComplaintStatusForm
              complaintId={complaint.id}
              status={complaint.status}
              assigneeId={complaint.assigneeId}
              resolutionNote={complaint.resolutionNote}
              assignees={assignees}
            />
          )}
        </Card>
      </div>
    </>
  );
}
