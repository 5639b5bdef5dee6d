import { auditDownload } from '@/lib/audit/downloads';
import { requireSection } from '@/lib/auth/session';
import { customerDetail } from '@/lib/customers/detail';
import { parseCustomerId } from '@/lib/customers/filter';

/** The customer's consent ledger and current decisions as JSON, to hand to a lawyer or an authority. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await requireSection('customers');
  const id = parseCustomerId((await params).id);
  const detail = id === null ? null : await customerDetail(id);
  if (!detail) return Response.json({ error: 'No such customer.' }, { status: 404 });
  await auditDownload({ actorId: user.id, kind: 'proof', entityId: detail.customer.id, rows: detail.events.length });
  const body = {
    generatedAt: new Date().toISOString(),
    generatedBy: user.email,
    customer: detail.customer,
    consents: detail.grid.map((c) => ({
      channel: c.channel,
      purpose: c.purpose,
      state: c.state.status,
      grantedAt: c.state.grantedAt,
      confirmedAt: c.state.confirmedAt,
      withdrawnAt: c.state.withdrawnAt,
      decision: c.decision,
      rule: c.legalReference,
    })),
    ledger: detail.events,
  };
  return new Response(JSON.stringify(body, null, 2), {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="zgoda-proof-of-consent-${detail.customer.id}.json"`,
      'Cache-Control': 'no-store',
    },
  });
}
