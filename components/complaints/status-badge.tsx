import { useTranslations } from 'next-intl';
import { Badge } from '@/components/ui/badge';
import type { ComplaintStatus } from '@/lib/complaints/input';

const TONE = { open: 'bad', investigating: 'warn', resolved: 'good' } as const;

export function ComplaintStatusBadge({ status }: { status: ComplaintStatus }) {
  const enums = useTranslations('enums');
  return <Badge tone={TONE[status]}>{enums(`complaintStatus.${status}`)}</Badge>;
}
