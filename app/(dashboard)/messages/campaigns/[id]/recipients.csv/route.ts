import { getDb } from '@/db';
import { writeAudit } from '@/lib/audit/write';
import { requireSection } from '@/lib/auth/session';
import { campaignDetail, recipientFilterSchema, recipientsCsv } from '@/lib/campaigns/queries';

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await requireSection('messages');
  const id = Number((await params).id);
  if (!Number.isInteger(id) || id <= 0 || id > 2_147_483_647) return new Response('Not found', { status: 404 });
  const db = await getDb();
  const campaign = await campaignDetail(db, id);
  if (!campaign) return new Response('Not found', { status: 404 });
  const url = new URL(request.url);
  const filter = recipientFilterSchema.parse({
    status: url.searchParams.get('status') ?? undefined,
    reason: url.searchParams.get('reason') ?? undefined,
  });
  // Phones of customers leave the app: who took them, and when.
  await writeAudit(db, {
    actorId: user.id,
    action: 'campaign.recipients_csv',
    entity: 'campaign',
    entityId: id,
    before: null,
    after: filter,
  });
  return new Response(recipientsCsv(db, id, filter), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="zgoda-campaign-${id}-recipients.csv"`,
      'Cache-Control': 'no-store',
    },
  });
}
