// The confirmation links of a filtered list's pending customers as CSV, for the seller's own mail tool. A POST: each
// row makes a confirmation request (a single-use link), so it is refused from other sites, and it is audited.
import { getTranslations } from 'next-intl/server';
import { getDb } from '@/db';
import { writeAudit } from '@/lib/audit/write';
import { requireRole } from '@/lib/auth/session';
import { csvLine } from '@/lib/csv';
import { parseCustomerFilter } from '@/lib/customers/filter';
import { refuseCrossOrigin } from '@/lib/http/origin';
import { requestLogger } from '@/lib/log';
import { issueForPage, pendingCustomers } from '@/lib/opt-in/bulk';
import { confirmationUrl } from '@/lib/opt-in/confirm';
import { linkBase } from '@/lib/preferences/links';
import { z } from '@/lib/zod';

const COLUMNS = ['customer_id', 'external_id', 'email', 'language', 'market', 'pending', 'confirmation_link', 'link_expires_at'];

export async function POST(request: Request) {
  const refusal = await refuseCrossOrigin(request, 'text');
  if (refusal) return refusal;
  const user = await requireRole('admin', 'seller');
  const form = await request.formData();
  const shop = z.string().trim().min(1).max(120).safeParse(form.get('shopName'));
  if (!shop.success) {
    const t = await getTranslations('optIn');
    return new Response(`${t('confirmShop')}: ${t('errors.required')}`, {
      status: 400,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    });
  }
  const query = new URLSearchParams(String(form.get('filter') ?? ''));
  const filter = parseCustomerFilter(Object.fromEntries([...query.keys()].map((k) => [k, query.getAll(k)])));
  const links = linkBase(process.env, request.headers);
  if (!links.ok) {
    const t = await getTranslations('customerLinks');
    return new Response(t(links.reason), { status: 409, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }
  const baseUrl = links.base;
  const db = await getDb();
  const pages = pendingCustomers(db, filter);
  const encoder = new TextEncoder();
  let rows = 0;
  let headerSent = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        return controller.enqueue(encoder.encode('\uFEFF' + csvLine(COLUMNS)));
      }
      try {
        const { value: page, done } = await pages.next();
        if (done) {
          const { page: _page, ...kept } = filter;
          await writeAudit(db, {
            actorId: user.id,
            action: 'confirmation.links',
            entity: 'confirmation_links',
            after: { filter: kept, shopName: shop.data, rows },
          });
          return controller.close();
        }
        const issued = await issueForPage(db, page, { shopName: shop.data, actorId: user.id });
        rows += issued.length;
        controller.enqueue(
          encoder.encode(
            issued
              .map(({ customer: c, issued: i }) =>
                csvLine([
                  String(c.id),
                  c.externalId,
                  c.email,
                  c.language,
                  c.market,
                  c.items.map((item) => `${item.channel}:${item.purpose}`).join(' '),
                  confirmationUrl(baseUrl, i.token),
                  i.expiresAt.toISOString(),
                ]),
              )
              .join(''),
          ),
        );
      } catch (error) {
        (await requestLogger()).error({ err: error }, 'confirmation links failed');
        controller.error(error);
      }
    },
    async cancel() {
      await pages.return(undefined);
    },
  });
  return new Response(stream, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="zgoda-confirmation-links-${new Date().toISOString().slice(0, 10)}.csv"`,
      'Cache-Control': 'no-store',
    },
  });
}
