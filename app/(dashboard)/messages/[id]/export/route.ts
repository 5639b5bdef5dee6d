// Export of an approved draft as JSONL, one Cloud API send body per recipient eligible now. A POST: it records a
// campaign and moves the draft to exported, so it is refused from other sites. A GET downloads the file of a campaign
// already exported again (`?campaign=` names one, else the draft's latest): it changes nothing but the audit trail.
import { getTranslations } from 'next-intl/server';
import { getDb } from '@/db';
import { requireRole } from '@/lib/auth/session';
import { refuseCrossOrigin } from '@/lib/http/origin';
import type { ExportFile } from '@/lib/messages/export';
import { downloadCampaign, startExport } from '@/lib/messages/export';
import { parseDraftId } from '@/lib/messages/input';
import { requestLogger } from '@/lib/log';
import { LINK_BASE_PROBLEM, linkBase } from '@/lib/preferences/links';

function fileResponse(file: ExportFile, headers: Record<string, string>): Response {
  return new Response(file.stream, {
    headers: {
      'Content-Type': 'application/jsonl; charset=utf-8',
      'Content-Disposition': `attachment; filename="${file.fileName}"`,
      'Cache-Control': 'no-store',
      'X-Campaign-Id': String(file.campaignId),
      ...headers,
    },
  });
}

const text = (body: string, status: number) => new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });

/** The message of a refusal: the workflow's, or why the preference links a variable asks for cannot be built. */
async function refusalText(refusal: string): Promise<string> {
  if (refusal in LINK_BASE_PROBLEM) return (await getTranslations('customerLinks'))(refusal);
  return (await getTranslations('messages'))(`refusals.${refusal}`);
}

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const refusal = await refuseCrossOrigin(request, 'text');
  if (refusal) return refusal;
  const user = await requireRole('admin', 'seller');
  const id = parseDraftId((await params).id);
  const t = await getTranslations('messages');
  if (!id) return new Response(t('refusals.not_found'), { status: 404 });
  try {
    const started = await startExport(await getDb(), id, user, new Date(), undefined, linkBase(process.env, request.headers));
    if (!started.ok) return text(await refusalText(started.refusal), started.refusal === 'not_found' ? 404 : 409);
    return fileResponse(started, { 'X-Recipient-Count': String(started.recipientCount) });
  } catch (error) {
    (await requestLogger()).error({ err: error }, 'export failed');
    return new Response((await getTranslations('errors'))('genericText'), { status: 500 });
  }
}

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await requireRole('admin', 'seller');
  const id = parseDraftId((await params).id);
  const t = await getTranslations('messages');
  const campaignParam = new URL(request.url).searchParams.get('campaign');
  const campaignId = campaignParam === null ? null : parseDraftId(campaignParam);
  if (!id || (campaignParam !== null && !campaignId)) return text(t('refusals.not_found'), 404);
  try {
    const found = await downloadCampaign(
      await getDb(),
      id,
      campaignId,
      user,
      new Date(),
      undefined,
      linkBase(process.env, request.headers),
    );
    if (!found.ok) {
      const status = found.refusal === 'not_found' ? 404 : found.refusal === 'role' ? 403 : 409;
      return text(await refusalText(found.refusal), status);
    }
    // The campaign's count, not the file's: recipients no longer reachable are left out of a later download.
    return fileResponse(found, { 'X-Campaign-Recipient-Count': String(found.recipientCount) });
  } catch (error) {
    (await requestLogger()).error({ err: error }, 'campaign download failed');
    return new Response((await getTranslations('errors'))('genericText'), { status: 500 });
  }
}
