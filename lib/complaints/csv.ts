// CSV export of the complaint list.
import type { ComplaintRow } from './queries';

const HEADER = ['id', 'received_at', 'kind', 'channel', 'market', 'status', 'urgent', 'customer_id', 'customer', 'contact_email', 'contact_phone', 'campaign_id', 'assignee', 'description', 'resolution_note'];

/** A cell quoted when it needs to be; formulas are defused so a spreadsheet does not run them. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  return [header.join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\r\n') + '\r\n';
}

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
