'use client';

import { useActionState, useEffect, useState } from 'react';
import { useTranslations } from 'next-intl';
import type { ImportActionState } from '@/app/(dashboard)/customers/import/actions';
import { commitImportAction } from '@/app/(dashboard)/customers/import/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { ProgressBar } from '@/components/ui/progress-bar';
import type { ImportProgress } from '@/lib/import/progress';

/** The commit button; while the commit runs, the progress the server reports. */
export function CommitPanel({ batchId, disabled }: { batchId: number; disabled: boolean }) {
  const t = useTranslations('import.commit');
  const [state, action, pending] = useActionState<ImportActionState, FormData>(commitImportAction, null);
  const [progress, setProgress] = useState<ImportProgress | null>(null);

  useEffect(() => {
    if (!pending) return;
    let stopped = false;
    const poll = async () => {
      try {
        const response = await fetch(`/customers/import/${batchId}/progress`, { cache: 'no-store' });
        if (!stopped && response.ok) setProgress(await response.json());
      } catch {
        // The next poll tries again; the commit itself does not depend on it.
      }
    };
    const timer = setInterval(poll, 500);
    void poll();
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [pending, batchId]);

  return (
    <form action={action} className="space-y-3">
      <input type="hidden" name="batchId" value={batchId} />
      {state && <Alert tone={state.ok ? 'success' : 'error'}>{state.message}</Alert>}
      {disabled && !state && <p className="text-sm text-slate-600">{t('nothing')}</p>}
      {pending && (
        <ProgressBar
          value={progress?.done ?? 0}
          max={progress?.total ?? 0}
          label={progress ? `${t(`phase.${progress.phase}`)} · ${t('progress', { done: progress.done, total: progress.total })}` : t('running')}
        />
      )}
      <Button type="submit" disabled={disabled || pending}>
        {pending ? t('running') : t('submit')}
      </Button>
    </form>
  );
}
