// Sending campaigns as a job: one per business phone number (the queue's key), each run a slice of at most a minute,
// after which it queues its own continuation; the number's lease (lib/campaigns/send.ts) keeps a run that outlived
// its expiry and the next one from sending side by side.
import { graphSender, runSender } from '@/lib/campaigns/send';
import { graphConfigState } from '@/lib/whatsapp/settings';
import { logger } from '@/lib/log';
import type { JobDefinition } from './job';
import { enqueueLater } from './queue';

export type CampaignSendData = { phoneNumberId: string };

const SLICE_MS = 60_000;
// While nothing is due (quiet hours, a 24 h deferral) or another worker holds the number, look again this often.
const POLL_MS = 60_000;

export const campaignSendJob: JobDefinition<CampaignSendData> = {
  name: 'campaign-send',
  // A slice is a minute; a run killed with its instance is offered again after this, and its lease has run out by then.
  expireInSeconds: 180,
  key: ({ phoneNumberId }) => `phone:${phoneNumberId}`,
  // Nothing to mark: recipients left in flight are reconciled by the next run that takes the number's lease.
  interrupted: async () => {},
  run: async ({ db }, data) => {
    const state = await graphConfigState(db);
    if (!state.ok) {
      logger.warn({ problem: state.problem }, 'campaign sending waits for the WhatsApp connection');
      await enqueueLater(campaignSendJob, data, new Date(Date.now() + POLL_MS), db);
      return;
    }
    const { config } = state;
    const result = await runSender(db, data.phoneNumberId, {
      sliceMs: SLICE_MS,
      send: graphSender(config),
    });
    if (result.state === 'idle') return;
    const at =
      result.state === 'more'
        ? new Date()
        : result.state === 'later'
          ? new Date(Math.min(result.at.getTime(), Date.now() + POLL_MS))
          : new Date(Date.now() + POLL_MS);
    await enqueueLater(campaignSendJob, data, at, db);
  },
};
