import type { AuditRow } from '#src/administration/audit-trail.repository.js';
import { beijingTime } from '#src/administration/audit-query.js';
import { maskPhone } from '#src/identity/request-body.js';
import { formatMessage, isMessageKey, type Messages } from '#src/portal/i18n/messages.js';
import { CN_MOBILE } from '#src/verification/sms-code.service.js';

/** One event as the API answers it. */
export interface AuditEventView {
  id: string;
  at: string;
  kind: string;
  outcome: 'success' | 'failure';
  actorKind: string | null;
  actorId: string | null;
  account: string | null;
  unit: { id: string; name: string | null; uscc: string | null } | null;
  clientIp: string | null;
  requestId: string | null;
  detail: Record<string, unknown>;
}

/**
 * A mobile number is an operator's login name as well as personal data: administrators see it
 * masked everywhere (lists, trail, CSV) and find an operator by typing the full number instead.
 */
export function shownAccount(account: string | null): string | null {
  return account !== null && CN_MOBILE.test(account) ? maskPhone(account) : account;
}

export function auditEventView(row: AuditRow): AuditEventView {
  return {
    id: row.id,
    at: row.at.toISOString(),
    kind: row.kind,
    outcome: row.outcome,
    actorKind: row.actorKind,
    actorId: row.actorId,
    account: shownAccount(row.account),
    unit: row.unitId ? { id: row.unitId, name: row.unitName, uscc: row.unitUscc } : null,
    clientIp: row.clientIp,
    requestId: row.requestId,
    detail: row.detail,
  };
}

/** The Chinese words for an event's kind, outcome and actor; a kind the catalogue lacks shows as its code. */
export function auditEventLabels(event: AuditEventView, m: Messages): { time: string; kind: string; outcome: string; actorKind: string; unit: string } {
  const kindKey = `audit.kind.${event.kind}`;
  const actorKey = `audit.actorKind.${event.actorKind ?? ''}`;
  const unit = event.unit ? (event.unit.name ? formatMessage(m['audit.unitWithCode'], { name: event.unit.name, uscc: event.unit.uscc ?? '' }) : event.unit.id) : '';
  return {
    time: beijingTime(new Date(event.at)),
    kind: isMessageKey(kindKey) ? formatMessage(m['audit.kindWithCode'], { label: m[kindKey], code: event.kind }) : event.kind,
    outcome: m[event.outcome === 'success' ? 'audit.outcome.success' : 'audit.outcome.failure'],
    actorKind: event.actorKind === null ? '' : isMessageKey(actorKey) ? m[actorKey] : event.actorKind,
    unit,
  };
}
