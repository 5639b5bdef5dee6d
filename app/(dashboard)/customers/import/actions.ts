'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { z } from '@/lib/zod';
import { getDb } from '@/db';
import { IMPORTERS } from '@/lib/auth/roles';
import { requireRole } from '@/lib/auth/session';
import type { BatchOptions } from '@/lib/import/batches';
import { discardImport, getImport, rereadImport } from '@/lib/import/batches';
import { isTarget, mappingProblem } from '@/lib/import/fields';
import type { Mapping } from '@/lib/import/fields';
import { fileProblemText } from '@/lib/import/file-messages';
import { importFilePath } from '@/lib/import/files';
import { setProgress } from '@/lib/import/progress';
import { ENCODINGS, DELIMITERS } from '@/lib/import/sniff';
import { ImportFileError, sniffFile } from '@/lib/import/read';
import { ImportNotOpen, commitImport, dryRun } from '@/lib/import/stage';
import { readCountry } from '@/lib/import/values';
import { requestLogger } from '@/lib/log';

/** `lenient`: the file broke only on quoting, and reading quotes inside fields as text would get past it. */
export type ImportActionState = { ok: true; message: string } | { ok: false; message: string; fieldErrors?: Record<string, string>; lenient?: boolean } | null;

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

/** Reads the file again with another encoding or delimiter, or runs the dry run with the chosen mapping. */
export async function prepareImportAction(_prev: ImportActionState, formData: FormData): Promise<ImportActionState> {
  const user = await requireRole(...IMPORTERS);
  const [t, tm, tl] = await Promise.all([getTranslations('import'), getTranslations('importMapping'), getTranslations('limits')]);
  const parsed = settingsSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, message: t('errors.invalid') };
  const input = parsed.data;
  const db = await getDb();
  const batch = await getImport(db, input.batchId);
  if (!batch || batch.status !== 'dry_run') return { ok: false, message: t('errors.notReady') };
  const path = importFilePath(batch.id);
  // The lenient read is the user's choice after a file broke on stray quotes; it then holds for the batch's dry runs.
  const relaxQuotes = input.intent === 'lenient' || input.relaxQuotes === '1';
  const format = relaxQuotes ? { encoding: input.encoding, delimiter: input.delimiter, relaxQuotes } : { encoding: input.encoding, delimiter: input.delimiter };
  try {
    if (input.intent === 'reread' || input.intent === 'lenient') {
      if (!(await rereadImport(db, batch.id, await sniffFile(path, format)))) return { ok: false, message: t('errors.notReady') };
      revalidatePath(`/customers/import/${batch.id}`);
      return { ok: true, message: t('reread') };
    }

    const sniff = (batch.options as BatchOptions).sniff;
    const header = sniff?.header ?? [];
    const mapping: Mapping = header.map((_, i) => {
      const value = String(formData.get(`map_${i}`) ?? '');
      return isTarget(value) ? value : null;
    });
    const fieldErrors: Record<string, string> = {};
    const problem = mappingProblem(mapping);
    if (problem) return { ok: false, message: t(`errors.${problem}`) };
    let defaultMarket: string | null = null;
    if (input.defaultMarket) {
      defaultMarket = readCountry(input.defaultMarket);
      if (!defaultMarket) fieldErrors.defaultMarket = t('errors.market');
    }
    if (!mapping.includes('market') && !defaultMarket && !fieldErrors.defaultMarket) fieldErrors.defaultMarket = t('errors.marketNeeded');
    const consentDate = input.consentDate ? new Date(`${input.consentDate}T00:00:00Z`) : null;
    if (consentDate && consentDate.getTime() > Date.now()) fieldErrors.consentDate = t('errors.futureDate');
    if (Object.keys(fieldErrors).length > 0) return { ok: false, message: t('errors.fix'), fieldErrors };

    const options = { defaultMarket, consentSource: input.consentSource || null, consentDate };
    await dryRun(db, batch.id, path, { format, mapping, options }, (p) => setProgress(batch.id, p));
    setProgress(batch.id, { phase: 'done', done: 0, total: 0 });
    revalidatePath(`/customers/import/${batch.id}`);
    return { ok: true, message: t('dryRunDone') };
  } catch (error) {
    if (error instanceof ImportFileError) {
      return { ok: false, message: fileProblemText(t, tm, tl, error), lenient: !format.relaxQuotes && error.malformation?.quoting === true };
    }
    if (error instanceof ImportNotOpen) return { ok: false, message: t('errors.notReady') };
    (await requestLogger()).error({ err: error, batch: batch.id, user: user.id }, 'import dry run failed');
    return { ok: false, message: t('errors.unexpected') };
  }
}

/** Writes the dry-run batch: all of it or, on any failure, nothing. */
export async function commitImportAction(_prev: ImportActionState, formData: FormData): Promise<ImportActionState> {
  const user = await requireRole(...IMPORTERS);
  const t = await getTranslations('import');
  const parsed = idSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, message: t('errors.invalid') };
  const batchId = parsed.data.batchId;
  const db = await getDb();
  const batch = await getImport(db, batchId);
  if (!batch?.options || !(batch.options as BatchOptions).summary) return { ok: false, message: t('errors.notReady') };
  try {
    const result = await commitImport(db, batchId, user.id, (p) => setProgress(batchId, p));
    if (!result.ok) return { ok: false, message: t(result.reason === 'stale' ? 'errors.stale' : 'errors.notReady') };
    revalidatePath('/customers', 'layout');
    revalidatePath('/coverage');
    revalidatePath('/');
    return { ok: true, message: t('committed', { events: result.eventsWritten }) };
  } catch (error) {
    setProgress(batchId, { phase: 'failed', done: 0, total: 0 });
    (await requestLogger()).error({ err: error, batch: batchId, user: user.id }, 'import commit failed');
    return { ok: false, message: t('errors.commitFailed') };
  }
}

export async function discardImportAction(_prev: unknown, formData: FormData): Promise<void> {
  await requireRole(...IMPORTERS);
  const parsed = idSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success || !(await discardImport(await getDb(), parsed.data.batchId))) return;
  revalidatePath('/customers/import');
  redirect('/customers/import');
}
