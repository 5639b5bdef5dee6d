// Sending confirmation mails to the pending customers of a filtered list, claimed by a seller's run: a page of requests
// is stored, then its mails go out, and the run counts what went out so that any instance can show the progress.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '@/db';
import { confirmationRuns } from '@/db/schema';
import { mailSettings } from '@/lib/mail/send';
import { getRun, issueForPage, pendingCustomers, storedFilter } from '@/lib/opt-in/bulk';
import { sendConfirmation } from '@/lib/opt-in/mail';
import { logger } from '@/lib/log';
import type { JobDefinition } from './job';
import { writeOutcome } from './outcome';

export type ConfirmationMailsData = { runId: number };

async function finish(db: Db, runId: number, status: 'done' | 'failed', failure: string | null = null) {
  await db.update(confirmationRuns).set({ status, failure, finishedAt: new Date() }).where(eq(confirmationRuns.id, runId));
}

/** The run's work, free of the queue: every pending customer of the list gets a request and its mail. */
export async function sendConfirmationMails(db: Db, runId: number): Promise<void> {
  const run = await getRun(db, runId);
  if (run?.status !== 'queued') return;
  // Without a server every mail would fail: the run says why at once, and the requests are not made.
  if (!mailSettings()) return finish(db, runId, 'failed', 'no_mail_server');
  await db.update(confirmationRuns).set({ status: 'running' }).where(eq(confirmationRuns.id, runId));
  for await (const page of pendingCustomers(db, storedFilter(run.filter))) {
    const issued = await issueForPage(db, page, { shopName: run.shopName, runId, actorId: run.createdBy });
    let sent = 0;
    let failed = 0;
    for (const { customer, issued: request } of issued) {
      const outcome = await sendConfirmation(
        db,
        { ...request, to: customer.email, language: customer.language, shopName: run.shopName, items: customer.items },
        run.baseUrl,
      );
      if (outcome === 'sent') sent++;
      else failed++;
    }
    await db
      .update(confirmationRuns)
      .set({
        found: sql`${confirmationRuns.found} + ${issued.length}`,
        sent: sql`${confirmationRuns.sent} + ${sent}`,
        failed: sql`${confirmationRuns.failed} + ${failed}`,
      })
      .where(eq(confirmationRuns.id, runId));
  }
  await finish(db, runId, 'done');
}

export const confirmationMailsJob: JobDefinition<ConfirmationMailsData> = {
  name: 'confirmation-mails',
  // Ten thousand mails at a few dozen a second, with room to spare, before the run is taken for dead.
  expireInSeconds: 3_600,
  key: ({ runId }) => `run:${runId}`,
  interrupted: ({ db }) =>
    db
      .update(confirmationRuns)
      .set({ status: 'failed', failure: 'interrupted', finishedAt: new Date() })
      .where(inArray(confirmationRuns.status, ['queued', 'running'])),
  run: async ({ db }, { runId }, { retried }) => {
    // A run that did not finish is not started again: it would mail the customers it reached a second time.
    if (retried) {
      await db
        .update(confirmationRuns)
        .set({ status: 'failed', failure: 'interrupted', finishedAt: new Date() })
        .where(and(eq(confirmationRuns.id, runId), inArray(confirmationRuns.status, ['queued', 'running'])));
      return;
    }
    try {
      await sendConfirmationMails(db, runId);
    } catch (error) {
      logger.error({ err: error, run: runId }, 'confirmation mails failed');
      await writeOutcome(() => finish(db, runId, 'failed', 'error'));
    }
  },
};
