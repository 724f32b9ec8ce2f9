import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import QRCode from 'qrcode';
import type { DataSource } from 'typeorm';
import { AuditLog, type RequestOrigin } from '#src/audit/audit-log.js';
import { CLOCK, type Clock } from '#src/clock/clock.js';
import { AccountsRepository, isUuid } from '#src/identity/accounts.repository.js';
import { identityException, IdentityErrorCode } from '#src/identity/identity.exception.js';
import type { LiveSession, SessionActor } from '#src/identity/sessions/session.service.js';
import { queryRows } from '#src/sms/queryable.js';
import type { Tenant } from '#src/tenancy/tenant.js';

/** HN-1's QR login: a ticket lives two minutes and opens one session. */
export const QR_TICKET_SECONDS = 120;

export interface IssuedQrTicket {
  ticketId: string;
  /** Only the browser that asked holds it: polling and redeeming need it, approving does not. */
  pollToken: string;
  confirmUrl: string;
  /** The QR code of confirmUrl, drawn by the `qrcode` library. */
  svg: string;
  expiresInSeconds: number;
}

export type QrTicketStatus = 'pending' | 'approved' | 'expired';

interface TicketRow {
  poll_token_hash: Uint8Array;
  status: 'pending' | 'approved' | 'consumed';
  expires_at: Date | string;
}

/**
 * QR login (HN-1): the login page shows a ticket as a QR code and polls it; a device already
 * signed in to the hall (standing in for the national app) opens the code's page and approves; the
 * login page then redeems the ticket, once, for a session of the approving actor.
 */
@Injectable()
export class QrLoginService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @Inject(AccountsRepository) private readonly accounts: AccountsRepository,
  ) {}

  async issue(tenant: Tenant, siteOrigin: string): Promise<IssuedQrTicket> {
    const ticketId = randomUUID();
    const pollToken = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    await this.db.query(`INSERT INTO qr_login_tickets (id, province_id, poll_token_hash, status, created_at, expires_at) VALUES ($1, $2, $3, 'pending', $4, $5)`, [
      ticketId,
      tenant.provinceId,
      digest(pollToken),
      now,
      new Date(now.getTime() + QR_TICKET_SECONDS * 1000),
    ]);
    return { ticketId, pollToken, ...(await draw(tenant, ticketId, siteOrigin)), expiresInSeconds: QR_TICKET_SECONDS };
  }

  /** A pending ticket drawn again (a page shown anew), with the seconds it has left; undefined otherwise. */
  async redraw(tenant: Tenant, ticketId: string, pollToken: string, siteOrigin: string): Promise<IssuedQrTicket | undefined> {
    const row = await this.ticket(tenant, ticketId);
    if (!row || !tokenMatches(row, pollToken) || row.status !== 'pending' || this.expired(row)) return undefined;
    const expiresInSeconds = Math.ceil((new Date(row.expires_at).getTime() - this.clock.now().getTime()) / 1000);
    return { ticketId, pollToken, ...(await draw(tenant, ticketId, siteOrigin)), expiresInSeconds };
  }

  async status(tenant: Tenant, ticketId: string, pollToken: string): Promise<QrTicketStatus> {
    const row = await this.ticket(tenant, ticketId);
    if (!row || !tokenMatches(row, pollToken) || row.status === 'consumed' || this.expired(row)) return 'expired';
    return row.status;
  }

  /** A signed-in actor approves a pending ticket of the same province. */
  async approve(tenant: Tenant, ticketId: string, session: LiveSession, origin: RequestOrigin): Promise<void> {
    const { data } = session;
    if (!(await this.accounts.isActive(tenant.provinceId, data.actorKind, data.actorId))) throw identityException(IdentityErrorCode.ACCOUNT_DISABLED);
    const rows = isUuid(ticketId)
      ? await queryRows(
          this.db,
          `UPDATE qr_login_tickets SET status = 'approved', actor_kind = $3, actor_id = $4, unit_id = $5
            WHERE id = $1 AND province_id = $2 AND status = 'pending' AND expires_at > $6 RETURNING id`,
          [ticketId, tenant.provinceId, data.actorKind, data.actorId, data.unitId ?? null, this.clock.now()],
        )
      : [];
    if (rows.length !== 1) throw identityException(IdentityErrorCode.QR_TICKET_INVALID);
    await this.audit.record(tenant.provinceId, origin, { kind: 'qr.approved', outcome: 'success', actorKind: data.actorKind, actorId: data.actorId, unitId: data.unitId, detail: { ticketId } });
  }

  /** Redeems an approved ticket once; the actor who approved it is who signs in. */
  async consume(tenant: Tenant, ticketId: string, pollToken: string): Promise<SessionActor> {
    const row = await this.ticket(tenant, ticketId);
    if (!row || !tokenMatches(row, pollToken) || this.expired(row) || row.status === 'consumed') throw identityException(IdentityErrorCode.QR_TICKET_INVALID);
    if (row.status === 'pending') throw identityException(IdentityErrorCode.QR_TICKET_PENDING);
    const taken = await queryRows<{ actor_kind: 'unit' | 'operator'; actor_id: string; unit_id: string | null }>(
      this.db,
      `UPDATE qr_login_tickets SET status = 'consumed' WHERE id = $1 AND province_id = $2 AND status = 'approved' RETURNING actor_kind, actor_id, unit_id`,
      [ticketId, tenant.provinceId],
    );
    const actor = taken[0];
    if (!actor) throw identityException(IdentityErrorCode.QR_TICKET_INVALID);
    return { kind: actor.actor_kind, id: actor.actor_id, unitId: actor.unit_id ?? undefined };
  }

  private async ticket(tenant: Tenant, ticketId: string): Promise<TicketRow | undefined> {
    if (!isUuid(ticketId)) return undefined;
    const rows = await queryRows<TicketRow>(this.db, `SELECT poll_token_hash, status, expires_at FROM qr_login_tickets WHERE id = $1 AND province_id = $2`, [ticketId, tenant.provinceId]);
    return rows[0];
  }

  private expired(row: TicketRow): boolean {
    return new Date(row.expires_at) <= this.clock.now();
  }
}

/** The QR code encodes the confirmation page's URL (what the national app would open). */
async function draw(tenant: Tenant, ticketId: string, siteOrigin: string): Promise<{ confirmUrl: string; svg: string }> {
  const confirmUrl = `${siteOrigin}${tenant.basePath}/qr/${ticketId}`;
  return { confirmUrl, svg: await QRCode.toString(confirmUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }) };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

function tokenMatches(row: TicketRow, pollToken: string): boolean {
  return timingSafeEqual(Buffer.from(row.poll_token_hash), digest(pollToken));
}
