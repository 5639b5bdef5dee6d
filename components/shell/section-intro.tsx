import { getTranslations } from 'next-intl/server';
import { EmptyState, PageHeader } from '@/components/ui/card';

/** The heading of a section and what it shows once there is data for it. */
export async function SectionIntro({ section }: { section: 'messages' | 'monitor' }) {
  const t = await getTranslations(section);
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <EmptyState title={t('emptyTitle')}>{t('emptyText')}</EmptyState>
    </>
  );
}
