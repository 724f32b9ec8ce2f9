import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyRequest } from 'fastify';
import type { DataSource, EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '#src/clock/clock.js';
import type { ProvinceId } from '#src/tenancy/tenant.js';

/** Where a request came from: who is asking is in the event itself. */
export interface RequestOrigin {
  clientIp: string;
  requestId: string;
}

export function requestOrigin(request: FastifyRequest): RequestOrigin {
  return { clientIp: request.ip, requestId: String(request.id) };
}

export interface AuditEvent {
  /** Dotted kind: `registration.created`, `session.opened`, `login.failed`, `login.locked`… */
  kind: string;
  outcome: 'success' | 'failure';
  actorKind?: string | undefined;
  actorId?: string | undefined;
  unitId?: string | undefined;
  /** The account name as typed (never a password). */
  account?: string | undefined;
  /** What changed or why it failed; never secrets. */
  detail?: Record<string, unknown>;
}

/**
 * The append-only audit trail (audit_events; a trigger refuses UPDATE and DELETE). Every event is
 * also logged, so failures show up in the log stream as well as in the table.
 */
@Injectable()
export class AuditLog {
  private readonly logger = new Logger('Audit');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Records the event, inside `tx` when given so it commits or rolls back with the change. */
  async record(provinceId: ProvinceId, origin: RequestOrigin, event: AuditEvent, tx?: EntityManager): Promise<void> {
    const detail = event.detail ?? {};
    await (tx ?? this.db).query(
      `INSERT INTO audit_events (province_id, at, kind, outcome, actor_kind, actor_id, unit_id, account, client_ip, request_id, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [provinceId, this.clock.now(), event.kind, event.outcome, event.actorKind ?? null, event.actorId ?? null, event.unitId ?? null, event.account ?? null, origin.clientIp, origin.requestId, JSON.stringify(detail)],
    );
    const line = { audit: event.kind, outcome: event.outcome, province: provinceId, actorKind: event.actorKind, unitId: event.unitId, account: event.account, ip: origin.clientIp, reqId: origin.requestId, ...detail };
    if (event.outcome === 'failure') this.logger.warn(line);
    else this.logger.log(line);
  }
}
