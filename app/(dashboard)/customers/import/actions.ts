'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { z } from '@/lib/zod';
import type { Db } from '@/db';
import { getDb } from '@/db';
import type { ActionResult } from '@/lib/actions/result';
import { guarded } from '@/lib/actions/result';
import { IMPORTERS } from '@/lib/auth/roles';
import { requireRole } from '@/lib/auth/session';
import { discardImport, getImport, rereadImport } from '@/lib/import/batches';
import { fileProblemText } from '@/lib/import/file-messages';
import { importFile } from '@/lib/import/files';
import { ImportFileError, sniffFile } from '@/lib/import/read';
import { checkSettings } from '@/lib/import/settings';
import { DELIMITERS, ENCODINGS } from '@/lib/import/sniff';
import { requestCommit, requestDryRun, retryImport } from '@/lib/jobs/import';

/** `lenient`: the file broke only on quoting, and reading quotes inside fields as text would get past it. */
export type ImportActionState = ActionResult<{ message: string }, { lenient?: boolean }> | null;

const settingsSchema = z.object({
  batchId: z.coerce.number().int().positive(),
  intent: z.enum(['reread', 'dryrun', 'lenient']),
  encoding: z.enum(ENCODINGS),
  delimiter: z.enum(DELIMITERS),
  relaxQuotes: z.enum(['0', '1']).optional(),
  defaultMarket: z.string().trim().max(60).optional(),
  consentSource: z.string().trim().max(300).optional(),
  consentDate: z.union([z.literal(''), z.string().regex(/^\d{4}-\d{2}-\d{2}$/)]).optional(),
});

const idSchema = z.object({ batchId: z.coerce.number().int().positive() });

/** Reads the file again with another encoding or delimiter, or queues the dry run with the chosen mapping. */
export async function prepareImportAction(_prev: ImportActionState, formData: FormData): Promise<ImportActionState> {
  await requireRole(...IMPORTERS);
  const [t, tm, tl, tj] = await Promise.all([
    getTranslations('import'),
    getTranslations('importMapping'),
    getTranslations('limits'),
    getTranslations('jobs'),
  ]);
  const parsed = settingsSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, message: t('errors.invalid') };
  const input = parsed.data;
  // The lenient read is the user's choice after a file broke on stray quotes; it then holds for the batch's dry runs.
  const relaxQuotes = input.intent === 'lenient' || input.relaxQuotes === '1';
  const format = relaxQuotes
    ? { encoding: input.encoding, delimiter: input.delimiter, relaxQuotes }
    : { encoding: input.encoding, delimiter: input.delimiter };
  return guarded<ImportActionState>(
    'queueing an import dry run',
    async () => {
      const db = await getDb();
      const batch = await getImport(db, input.batchId);
      if (!batch || (batch.status !== 'dry_run' && batch.status !== 'failed')) return { ok: false, message: t('errors.notReady') };
      if (input.intent === 'reread' || input.intent === 'lenient') {
        if (!(await rereadImport(db, batch.id, await sniffFile(importFile(db, batch), format))))
          return { ok: false, message: t('errors.notReady') };
        revalidatePath(`/customers/import/${batch.id}`);
        return { ok: true, message: t('reread') };
      }
      const columns = (batch.options.sniff?.header ?? []).map((_, i) => String(formData.get(`map_${i}`) ?? ''));
      const check = checkSettings({
        format,
        columns,
        defaultMarket: input.defaultMarket,
        consentSource: input.consentSource,
        consentDate: input.consentDate,
      });
      if (!check.ok && 'problem' in check) return { ok: false, message: t(`errors.${check.problem}`) };
      if (!check.ok) {
        const fieldErrors = Object.fromEntries(Object.entries(check.fieldErrors).map(([field, code]) => [field, t(`errors.${code}`)]));
        return { ok: false, message: t('errors.fix'), fieldErrors };
      }
      if (!(await requestDryRun(db, batch.id, check.settings))) return { ok: false, message: t('errors.notReady') };
      revalidatePath(`/customers/import/${batch.id}`);
      return { ok: true, message: tj('dryRunQueued') };
    },
    {
      refused: (error) =>
        error instanceof ImportFileError
          ? { ok: false, message: fileProblemText(t, tm, tl, error), lenient: !format.relaxQuotes && error.malformation?.quoting === true }
          : undefined,
      message: tj('notQueued'),
    },
  );
}

/**
 * The actions that queue a job for a batch: the batch id parsed, the job asked for as the signed-in user, and the
 * answer `queued` or, when the batch is not in a state for it, `refused`.
 */
async function requestForBatch(
  formData: FormData,
  request: (db: Db, batchId: number, actorId: number) => Promise<boolean>,
  answers: { queued: 'commitQueued' | 'retryQueued'; refused: 'notReady' | 'notFailed' },
): Promise<ImportActionState> {
  const user = await requireRole(...IMPORTERS);
  const [t, tj] = await Promise.all([getTranslations('import'), getTranslations('jobs')]);
  const parsed = idSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, message: t('errors.invalid') };
  const batchId = parsed.data.batchId;
  return guarded<ImportActionState>(
    `queueing the ${answers.queued === 'commitQueued' ? 'commit' : 'retry'} of an import`,
    async () => {
      if (!(await request(await getDb(), batchId, user.id)))
        return { ok: false, message: answers.refused === 'notReady' ? t('errors.notReady') : tj('notFailed') };
      revalidatePath(`/customers/import/${batchId}`);
      return { ok: true, message: tj(answers.queued) };
    },
    { message: tj('notQueued') },
  );
}

/** Queues the commit of the dry-run batch, which then writes all of it or, on any failure, nothing. */
export async function commitImportAction(_prev: ImportActionState, formData: FormData): Promise<ImportActionState> {
  return requestForBatch(formData, requestCommit, { queued: 'commitQueued', refused: 'notReady' });
}

/** Runs again the dry run or commit of a batch that failed (say, its instance stopped), with the same settings. */
export async function retryImportAction(_prev: ImportActionState, formData: FormData): Promise<ImportActionState> {
  return requestForBatch(formData, retryImport, { queued: 'retryQueued', refused: 'notFailed' });
}

export async function discardImportAction(_prev: unknown, formData: FormData): Promise<void> {
  await requireRole(...IMPORTERS);
  const parsed = idSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success || !(await discardImport(await getDb(), parsed.data.batchId))) return;
  revalidatePath('/customers/import');
  redirect('/customers/import');
}
