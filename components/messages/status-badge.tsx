import { getTranslations } from 'next-intl/server';
import type { BadgeTone } from '@/components/ui/badge';
import { Badge } from '@/components/ui/badge';
import type { DraftStatus } from '@/lib/messages/input';

const TONE: Record<DraftStatus, BadgeTone> = { draft: 'neutral', submitted: 'warn', approved: 'good', rejected: 'bad', exported: 'info' };

export async function DraftStatusBadge({ status }: { status: DraftStatus }) {
  const t = await getTranslations('messages.statuses');
  return <Badge tone={TONE[status]}>{t(status)}</Badge>;
}
