/**
 * The audit trail as CSV for spreadsheets: UTF-8 with a BOM (so Excel shows the Chinese), CRLF
 * line ends, RFC 4180 quoting, and no cell a spreadsheet would run as a formula.
 */
import { auditEventLabels, type AuditEventView } from '#src/administration/audit-view.js';
import type { Messages } from '#src/portal/i18n/messages.js';

export const CSV_BOM = '\uFEFF';

/** A cell starting with = + - @ (or a tab or CR that hides one) is prefixed with ' so it stays text. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export function auditCsvHeader(m: Messages): string {
  return csvLine([m['audit.col.time'], m['audit.col.kind'], m['audit.col.outcome'], m['audit.col.actorKind'], m['audit.col.account'], m['audit.col.unit'], m['audit.col.clientIp'], m['audit.col.requestId'], m['audit.col.detail']]);
}

export function auditCsvLine(event: AuditEventView, m: Messages): string {
  const labels = auditEventLabels(event, m);
  return csvLine([labels.time, labels.kind, labels.outcome, labels.actorKind, event.account ?? '', labels.unit, event.clientIp ?? '', event.requestId ?? '', JSON.stringify(event.detail)]);
}
