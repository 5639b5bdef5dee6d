'use client';

import { useEffect, useState } from 'react';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { ProgressBar } from '@/components/ui/progress-bar';
import type { ImportJobState } from '@/lib/import/progress';

const POLL_MS = 1000;

/**
 * The progress of a batch's running dry run or commit, as any instance reports it; when the batch's status changes
 * (done, failed), the page is loaded again to show the outcome. The job runs on the server: closing the tab stops
 * nothing.
 */
export function JobProgress({ batchId, status }: { batchId: number; status: 'checking' | 'committing' }) {
  const t = useTranslations('import.commit');
  const tj = useTranslations('jobs');
  const router = useRouter();
  const [state, setState] = useState<ImportJobState | null>(null);

  useEffect(() => {
    let stopped = false;
    const poll = async () => {
      try {
        const response = await fetch(`/customers/import/${batchId}/progress`, { cache: 'no-store' });
        if (stopped) return;
        // Gone (discarded in another tab) or done: the page says what became of it.
        if (response.status === 404) return router.refresh();
        if (!response.ok) return;
        const next = (await response.json()) as ImportJobState;
        setState(next);
        if (next.status !== status) router.refresh();
      } catch {
        // The next poll tries again; the job does not depend on it.
      }
    };
    const timer = setInterval(poll, POLL_MS);
    void poll();
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [batchId, status, router]);

  const progress = state?.progress;
  const running = tj(status === 'checking' ? 'checking' : 'committing');
  return (
    <div className="space-y-2" role="status">
      <p className="text-sm text-slate-700">{running}</p>
      <ProgressBar
        value={progress?.done ?? 0}
        max={progress?.total ?? 0}
        label={
          progress ? `${t(`phase.${progress.phase}`)} · ${t('progress', { done: progress.done, total: progress.total })}` : tj('waiting')
        }
      />
      <p className="text-xs text-slate-500">{tj('closeTab')}</p>
    </div>
  );
}
