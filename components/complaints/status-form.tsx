'use client';

import { useTranslations } from 'next-intl';
import { updateComplaintAction } from '@/app/(dashboard)/complaints/actions';
import { EnumOptions } from '@/components/consent/enum-options';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field, Select, Textarea } from '@/components/ui/field';
import { useKeptForm } from '@/components/ui/kept-form';

type Props = {
  complaintId: number;
  status: string;
  assigneeId: number | null;
  resolutionNote: string | null;
  assignees: Array<{ id: number; name: string }>;
};

/** Moves a complaint from open to investigating to resolved, with an assignee and the resolution note. */
export function ComplaintStatusForm({ complaintId, status, assigneeId, resolutionNote, assignees }: Props) {
  const t = useTranslations('complaints.detail');
  const { state, onSubmit, pending } = useKeptForm(updateComplaintAction);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <input type="hidden" name="complaintId" value={complaintId} />
      {state && <Alert tone={state.ok ? 'success' : 'error'}>{state.message}</Alert>}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="s-status" label={t('status')} error={errors?.status}>
          <Select id="s-status" name="status" defaultValue={status} error={errors?.status}>
            <EnumOptions kind="complaintStatus" />
          </Select>
        </Field>
        <Field id="s-assignee" label={t('assignee')}>
          <Select id="s-assignee" name="assigneeId" defaultValue={assigneeId ?? ''}>
            <option value="">{t('nobody')}</option>
            {assignees.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <Field id="s-note" label={t('resolutionNote')} error={errors?.resolutionNote}>
        <Textarea id="s-note" name="resolutionNote" rows={3} defaultValue={resolutionNote ?? ''} error={errors?.resolutionNote} />
      </Field>
      <Button type="submit" disabled={pending} aria-disabled={pending}>
        {pending ? t('saving') : t('save')}
      </Button>
    </form>
  );
}
