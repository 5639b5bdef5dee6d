import { getTranslations } from 'next-intl/server';
import { getDb } from '@/db';
import { IMPORTERS } from '@/lib/auth/roles';
import { currentUser } from '@/lib/auth/session';
import { refuseCrossOrigin } from '@/lib/http/origin';
import { createBatch } from '@/lib/import/batches';
import type { StoredFile } from '@/lib/files/store';
import { removeFile, storedFile } from '@/lib/files/store';
import { saveUpload } from '@/lib/import/files';
import { fileProblemText } from '@/lib/import/file-messages';
import { ImportFileError, MAX_FILE_BYTES, sniffFile } from '@/lib/import/read';
import { requestLogger } from '@/lib/log';

// The file arrives as the raw request body, its name in a header: no multipart parsing, nothing held in memory. With
// `X-Relax-Quotes: 1` (the user's choice after a file broke on stray quotes) quotes inside fields are read as text.
export async function POST(request: Request) {
  const refusal = await refuseCrossOrigin(request, 'json');
  if (refusal) return refusal;
  const t = await getTranslations('import.file');
  const [ti, tm, tl] = await Promise.all([getTranslations('import'), getTranslations('importMapping'), getTranslations('limits')]);
  const relaxQuotes = request.headers.get('x-relax-quotes') === '1';
  const user = await currentUser();
  if (!user) return Response.json({ ok: false, message: t('signedOut') }, { status: 401 });
  if (!IMPORTERS.includes(user.role)) return Response.json({ ok: false, message: t('forbidden') }, { status: 403 });
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > MAX_FILE_BYTES) return Response.json({ ok: false, message: t('too_large') }, { status: 413 });
  const fileName =
    decodeURIComponent(request.headers.get('x-file-name') ?? '')
      .trim()
      .slice(0, 255) || 'customers.csv';
  if (!request.body) return Response.json({ ok: false, message: t('empty') }, { status: 400 });

  const db = await getDb();
  let stored: StoredFile | null = null;
  try {
    stored = await saveUpload(db, request.body);
    const sniff = await sniffFile(storedFile(db, stored.key), relaxQuotes ? { relaxQuotes } : {});
    const id = await createBatch(db, { fileName, sha256: stored.sha256, fileKey: stored.key, createdBy: user.id, sniff });
    return Response.json({ ok: true, id });
  } catch (error) {
    // A file that became no batch is not kept.
    if (stored) await removeFile(db, stored.key).catch((failure: unknown) => console.error('removing a refused upload failed', failure));
    if (error instanceof ImportFileError) {
      const lenient = !relaxQuotes && error.malformation?.quoting === true;
      return Response.json(
        { ok: false, message: fileProblemText(ti, tm, tl, error), lenient },
        { status: error.problem === 'too_large' ? 413 : 400 },
      );
    }
    (await requestLogger()).error({ err: error }, 'import upload failed');
    return Response.json({ ok: false, message: t('failed') }, { status: 500 });
  }
}
