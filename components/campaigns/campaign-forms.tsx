'use client';

import { useActionState, useEffect } from 'react';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import type { CampaignActionState } from '@/app/(dashboard)/messages/campaigns/actions';
import { controlCampaignAction, sendCampaignAction } from '@/app/(dashboard)/messages/campaigns/actions';
import { SubmitButton } from '@/components/ui/submit-button';

function Outcome({ state, id }: { state: CampaignActionState; id: string }) {
  if (!state) return null;
  return (
    <p id={id} role={state.ok ? 'status' : 'alert'} className={state.ok ? 'text-sm text-emerald-700' : 'text-sm font-medium text-red-700'}>
      {state.message}
      {!state.ok && state.fieldErrors?.rate ? ` ${state.fieldErrors.rate}` : ''}
    </p>
  );
}

/** "Send through WhatsApp" on an approved draft, with the campaign's rate (blank: the default). */
export function SendCampaignForm({ draftId, defaultRate }: { draftId: number; defaultRate: number }) {
  const t = useTranslations('campaigns');
  const [state, action] = useActionState(sendCampaignAction, null);
  const invalid = state && !state.ok && state.fieldErrors?.rate ? true : undefined;
  return (
    <form action={action} className="flex flex-wrap items-end gap-3" data-testid="send-campaign">
      <input type="hidden" name="id" value={draftId} />
      <div className="space-y-1">
        <label htmlFor="campaign-rate" className="block text-xs font-medium text-slate-700">
          {t('rateLabel')}
        </label>
        <input
          id="campaign-rate"
          name="rate"
          inputMode="numeric"
          placeholder={String(defaultRate)}
          aria-invalid={invalid}
          aria-describedby="campaign-rate-hint send-outcome"
          className="block w-28 rounded-md border-0 px-3 py-1.5 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-600 aria-invalid:ring-red-500"
        />
      </div>
      <SubmitButton pendingText={t('sending')}>{t('sendButton')}</SubmitButton>
      <span id="campaign-rate-hint" className="text-xs text-slate-600">
        {t('sendHint', { rate: defaultRate })}
      </span>
      <div className="w-full">
        <Outcome state={state} id="send-outcome" />
      </div>
    </form>
  );
}

/** Pause, resume and cancel, as the campaign's status allows. */
export function CampaignControls({ campaignId, status }: { campaignId: number; status: string }) {
  const t = useTranslations('campaigns');
  const [state, action] = useActionState(controlCampaignAction, null);
  const controls = (
    { queued: ['pause', 'cancel'], sending: ['pause', 'cancel'], paused: ['resume', 'cancel'] } as Record<
      string,
      Array<'pause' | 'resume' | 'cancel'>
    >
  )[status];
  if (!controls) return null;
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        {controls.map((control) => (
          <form key={control} action={action}>
            <input type="hidden" name="id" value={campaignId} />
            <input type="hidden" name="control" value={control} />
            <SubmitButton pendingText={t('working')} variant={control === 'cancel' ? 'danger' : undefined}>
              {t(`controls.${control}`)}
            </SubmitButton>
          </form>
        ))}
      </div>
      <Outcome state={state} id="control-outcome" />
    </div>
  );
}

/** Loads the page again every two seconds while the campaign is being sent, so its progress moves. */
export function RefreshWhileSending({ active }: { active: boolean }) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => router.refresh(), 2000);
    return () => clearInterval(timer);
  }, [active, router]);
  return null;
}
