'use client';

import { useTranslations } from 'next-intl';
import { decideReplyAction } from '@/app/(dashboard)/replies/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { useKeptForm } from '@/components/ui/kept-form';
import type { ReplyDecision } from '@/lib/replies/record';

// Withdrawals first and in red: they are what most of these replies ask for.
const BUTTONS: ReadonlyArray<{ decision: ReplyDecision; variant: 'danger' | 'secondary' }> = [
  { decision: 'withdraw_marketing', variant: 'danger' },
  { decision: 'withdraw_all', variant: 'danger' },
  { decision: 'complaint', variant: 'secondary' },
  { decision: 'not_objection', variant: 'secondary' },
];

/** The one-click decisions on one reply; the button pressed is the decision. */
export function DecideReplyForm({ reviewId, label }: { reviewId: number; label: string }) {
  const t = useTranslations('replies');
  const { state, onSubmit, pending } = useKeptForm(decideReplyAction);
  return (
    <form onSubmit={onSubmit} aria-label={label} className="space-y-2">
      <input type="hidden" name="reviewId" value={reviewId} />
      <div className="grid grid-cols-1 gap-2 sm:grid-cols-2">
        {BUTTONS.map(({ decision, variant }) => (
          <Button
            key={decision}
            type="submit"
            name="decision"
            value={decision}
            variant={variant}
            disabled={pending}
            aria-disabled={pending}
            className="px-2.5 py-1.5 text-xs"
          >
            {t(decision)}
          </Button>
        ))}
      </div>
      {pending && (
        <p className="text-xs text-slate-600" role="status">
          {t('saving')}
        </p>
      )}
      {state && !state.ok && <Alert tone="error">{state.message}</Alert>}
    </form>
  );
}
