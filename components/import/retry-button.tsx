'use client';

import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import type { ImportActionState } from '@/app/(dashboard)/customers/import/actions';
import { retryImportAction } from '@/app/(dashboard)/customers/import/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

/** Runs the failed dry run or commit of a batch again. */
export function RetryButton({ batchId }: { batchId: number }) {
  const t = useTranslations('jobs');
  const [state, action, pending] = useActionState<ImportActionState, FormData>(retryImportAction, null);
  return (
    <form action={action} className="space-y-3">
      <input type="hidden" name="batchId" value={batchId} />
      {state && !state.ok && <Alert tone="error">{state.message}</Alert>}
      <Button type="submit" disabled={pending}>
        {t('retry')}
      </Button>
    </form>
  );
}
