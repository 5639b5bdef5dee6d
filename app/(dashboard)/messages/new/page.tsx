import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { DraftEditor } from '@/components/messages/draft-editor';
import { PageHeader } from '@/components/ui/card';
import { requireRole } from '@/lib/auth/session';
import { coverageFilterOptions } from '@/lib/coverage/queries';
import { STEP_ROLES } from '@/lib/messages/workflow';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('messages'))('newDraft') };
}

export default async function NewDraftPage() {
  await requireRole(...STEP_ROLES.edit);
  const [t, options] = await Promise.all([getTranslations('messages'), coverageFilterOptions()]);
  return (
    <>
      <PageHeader title={t('newDraft')} description={t('newDraftDescription')} />
      <DraftEditor
        options={options}
        initial={{
          name: '',
          category: 'transactional',
          language: 'pl',
          header: '',
          headerExample: '',
          body: '',
          footer: '',
          sender: '',
          buttons: [],
          examples: [],
          variableFields: [],
          audience: { markets: [] },
        }}
      />
    </>
  );
}
