'use client';

import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import type { ImportActionState } from '@/app/(dashboard)/customers/import/actions';
import { commitImportAction } from '@/app/(dashboard)/customers/import/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

/** The commit button: queues the commit, whose progress the page then shows. */
export function CommitPanel({ batchId, disabled }: { batchId: number; disabled: boolean }) {
  const t = useTranslations('import.commit');
  const [state, action, pending] = useActionState<ImportActionState, FormData>(commitImportAction, null);
  return (
    <form action={action} className="space-y-3">
      <input type="hidden" name="batchId" value={batchId} />
      {state && !state.ok && <Alert tone="error">{state.message}</Alert>}
      {disabled && <p className="text-sm text-slate-600">{t('nothing')}</p>}
      <Button type="submit" disabled={disabled || pending}>
        {t('submit')}
      </Button>
    </form>
  );
}
