'use client';

import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import type { MetaActionState } from '@/app/(dashboard)/messages/meta-actions';
import { refreshTemplateStatusAction, submitTemplateToMetaAction } from '@/app/(dashboard)/messages/meta-actions';
import { Alert } from '@/components/ui/alert';
import { SubmitButton } from '@/components/ui/submit-button';

type Action = (prev: MetaActionState, formData: FormData) => Promise<MetaActionState>;

function MetaForm({ draftId, action, label, variant }: { draftId: number; action: Action; label: string; variant?: 'secondary' }) {
  const t = useTranslations('whatsappConnection');
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction} className="space-y-2">
      <input type="hidden" name="id" value={draftId} />
      <SubmitButton pendingText={t('working')} variant={variant}>
        {label}
      </SubmitButton>
      {state && <Alert tone={state.ok ? 'success' : 'error'}>{state.message}</Alert>}
    </form>
  );
}

export function MetaTemplateForms({
  draftId,
  submit,
  refresh,
}: {
  draftId: number;
  submit: 'submit' | 'resubmit' | null;
  refresh: boolean;
}) {
  const t = useTranslations('whatsappConnection');
  if (!submit && !refresh) return null;
  return (
    <div className="flex flex-wrap items-start gap-3">
      {submit && <MetaForm draftId={draftId} action={submitTemplateToMetaAction} label={t(submit)} />}
      {refresh && <MetaForm draftId={draftId} action={refreshTemplateStatusAction} label={t('refresh')} variant="secondary" />}
    </div>
  );
}
