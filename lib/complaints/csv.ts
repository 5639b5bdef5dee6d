// CSV export of the complaint list.
import { toCsv } from '@/lib/csv';
import type { ComplaintRow } from './queries';

const HEADER = [
  'id',
  'received_at',
  'kind',
  'channel',
  'market',
  'status',
  'urgent',
  'customer_id',
  'customer',
  'contact_email',
  'contact_phone',
  'campaign_id',
  'assignee',
  'description',
  'resolution_note',
];

export function complaintsCsv(rows: readonly ComplaintRow[]): string {
  return toCsv(
    HEADER,
    rows.map((c) => [
      c.id,
      c.receivedAt,
      c.kind,
      c.channel,
      c.market,
      c.status,
      c.urgent,
      c.customerId,
      [c.firstName, c.lastName].filter(Boolean).join(' '),
      c.contactEmail,
      c.contactPhone,
      c.campaignId,
      c.assigneeName,
      c.description,
      c.resolutionNote,
    ]),
  );
}
