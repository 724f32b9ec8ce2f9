import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '#src/clock/clock.js';
import { PeriodicSweeper } from '#src/database/periodic-sweeper.js';
import type { HallActorKind } from '#src/identity/sessions/session-store.js';
import { queryRows } from '#src/sms/queryable.js';
import type { ProvinceId } from '#src/tenancy/tenant.js';

export interface TicketHolder {
  unitId: string;
  actorKind: HallActorKind;
  actorId: string;
}

/** Spent and expired tickets are kept a day for the record of who entered, then swept. */
const KEPT_MS = 24 * 3600 * 1000;

function ticketHash(ticket: string): Buffer {
  return createHash('sha256').update(ticket).digest();
}

/**
 * Hall → procurement hand-off tickets (DESIGN.md): 256 random bits, valid for the profile's
 * seconds, spent by the first exchange, bound to province, unit and actor. Only the hash is stored,
 * so the table holds nothing that opens a session.
 */
@Injectable()
export class ProcurementTicketsRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async issue(provinceId: ProvinceId, holder: TicketHolder, seconds: number): Promise<string> {
    const ticket = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    await this.db.query(
      `INSERT INTO procurement_tickets (id_hash, province_id, unit_id, actor_kind, actor_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [ticketHash(ticket), provinceId, holder.unitId, holder.actorKind, holder.actorId, now, new Date(now.getTime() + seconds * 1000)],
    );
    return ticket;
  }

  /** Spends a live ticket of this province in one statement, so two exchanges cannot both win. */
  async consume(provinceId: ProvinceId, ticket: string): Promise<TicketHolder | undefined> {
    if (!/^[\w-]{43}$/.test(ticket)) return undefined;
    const rows = await queryRows<{ unit_id: string; actor_kind: HallActorKind; actor_id: string }>(
      this.db,
      `UPDATE procurement_tickets SET consumed_at = $3
        WHERE id_hash = $1 AND province_id = $2 AND consumed_at IS NULL AND expires_at > $3
        RETURNING unit_id, actor_kind, actor_id`,
      [ticketHash(ticket), provinceId, this.clock.now()],
    );
    const row = rows[0];
    return row && { unitId: row.unit_id, actorKind: row.actor_kind, actorId: row.actor_id };
  }
}

@Injectable()
export class ProcurementTicketSweeper extends PeriodicSweeper {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super(10 * 60 * 1000, '清理过期的招采系统进入凭证');
  }

  async sweep(): Promise<void> {
    await this.db.query(`DELETE FROM procurement_tickets WHERE expires_at <= $1`, [new Date(this.clock.now().getTime() - KEPT_MS)]);
  }
}
