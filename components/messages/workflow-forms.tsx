'use client';

import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import type { DraftActionState } from '@/app/(dashboard)/messages/actions';
import { approveDraftAction, rejectDraftAction, submitDraftAction } from '@/app/(dashboard)/messages/actions';
import { SubmitButton } from '@/components/ui/submit-button';

type Action = (prev: DraftActionState, formData: FormData) => Promise<DraftActionState>;

function Outcome({ state, id }: { state: DraftActionState; id: string }) {
  if (!state) return null;
  return (
    <p id={id} role={state.ok ? 'status' : 'alert'} className={state.ok ? 'text-sm text-emerald-700' : 'text-sm font-medium text-red-700'}>
      {state.message}
      {!state.ok && state.fieldErrors?.comment ? ` ${state.fieldErrors.comment}` : ''}
    </p>
  );
}

function StepForm({
  draftId,
  action,
  label,
  pending,
  variant,
  comment,
}: {
  draftId: number;
  action: Action;
  label: string;
  pending: string;
  variant?: 'primary' | 'danger';
  comment?: { label: string; required: boolean };
}) {
  const [state, formAction] = useActionState(action, null);
  const outcomeId = `outcome-${label.replace(/\W+/g, '-')}`;
  const invalid = state && !state.ok && state.fieldErrors?.comment ? true : undefined;
  return (
    <form action={formAction} className="space-y-2">
      <input type="hidden" name="id" value={draftId} />
      {comment && (
        <div className="space-y-1">
          <label htmlFor={`${outcomeId}-comment`} className="block text-sm font-medium text-slate-800">
            {comment.label}
          </label>
          <textarea
            id={`${outcomeId}-comment`}
            name="comment"
            rows={2}
            maxLength={2000}
            aria-invalid={invalid}
            aria-describedby={state ? outcomeId : undefined}
            className="block w-full rounded-md border-0 px-3 py-2 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-600 aria-invalid:ring-red-500"
          />
        </div>
      )}
      <SubmitButton pendingText={pending} variant={variant}>
        {label}
      </SubmitButton>
      <Outcome state={state} id={outcomeId} />
    </form>
  );
}

export function SubmitDraftForm({ draftId }: { draftId: number }) {
  const t = useTranslations('messages');
  return <StepForm draftId={draftId} action={submitDraftAction} label={t('steps.submit')} pending={t('working')} />;
}

export function ReviewDraftForms({ draftId }: { draftId: number }) {
  const t = useTranslations('messages');
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <StepForm
        draftId={draftId}
        action={approveDraftAction}
        label={t('steps.approve')}
        pending={t('working')}
        comment={{ label: t('approveComment'), required: false }}
      />
      <StepForm
        draftId={draftId}
        action={rejectDraftAction}
        label={t('steps.reject')}
        pending={t('working')}
        variant="danger"
        comment={{ label: t('rejectComment'), required: true }}
      />
    </div>
  );
}
