import { Inject, Injectable } from '@nestjs/common';
import { AuditLog, type RequestOrigin } from '#src/audit/audit-log.js';
import { CLOCK, type Clock } from '#src/clock/clock.js';
import { CertificationService } from '#src/hall/certification.service.js';
import { identityException, IdentityErrorCode } from '#src/identity/identity.exception.js';
import { SessionService, type LiveSession, type OpenedSession } from '#src/identity/sessions/session.service.js';
import { SignedInActorService } from '#src/identity/sessions/signed-in-actor.service.js';
import { ProcurementAccountsRepository } from '#src/procurement/procurement-accounts.repository.js';
import { ProcurementActorService } from '#src/procurement/procurement-actor.service.js';
import { procurementException, ProcurementErrorCode } from '#src/procurement/procurement.exception.js';
import { ProcurementTicketsRepository } from '#src/procurement/procurement-tickets.repository.js';
import type { Tenant } from '#src/tenancy/tenant.js';

export interface IssuedTicket {
  ticket: string;
  /** Where the ticket is exchanged: POST it there as `ticket` (the page form does). */
  url: string;
  expiresInSeconds: number;
}

/**
 * 招采企业服务 / 医药采购服务 → 招采系统 (N-1, N-5, XZ-7, JL-12, HN-2, AH-4, NM-3): the hall issues a
 * one-time ticket bound to province, unit and actor, and the procurement subsystem exchanges it for
 * a session of its own — as the real platform's `tps-local/index?accessToken=`, except that the
 * ticket travels in a POST body, so it is never in a URL, a log line or a Referer.
 */
@Injectable()
export class HandoffService {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CertificationService) private readonly certification: CertificationService,
    @Inject(SignedInActorService) private readonly actors: SignedInActorService,
    @Inject(ProcurementTicketsRepository) private readonly tickets: ProcurementTicketsRepository,
    @Inject(ProcurementAccountsRepository) private readonly procurementAccounts: ProcurementAccountsRepository,
    @Inject(ProcurementActorService) private readonly procurementActors: ProcurementActorService,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  /** Refused until the unit is certified (N-5, JL-12, AH-4) and, where JL-9 holds, the operator authorised. */
  async issue(tenant: Tenant, session: LiveSession, origin: RequestOrigin): Promise<IssuedTicket> {
    const { profile } = tenant;
    const actor = await this.actors.describe(tenant, session);
    if (!actor.unit) throw procurementException(ProcurementErrorCode.HANDOFF_UNIT_NOT_CHOSEN);
    const overview = await this.certification.overview(tenant, session);
    const refuse = async (code: ProcurementErrorCode, detail?: string) => {
      await this.audit.record(tenant.provinceId, origin, { kind: 'procurement.handoff-refused', outcome: 'failure', actorKind: actor.kind, actorId: session.data.actorId, unitId: actor.unit?.id, detail: { code } });
      return procurementException(code, detail);
    };
    if (overview.mustCertify || overview.certifiedRoleTypes.length === 0) {
      // HN-9: an operator cannot certify; the unit's main account has to, first.
      const mainFirst = !overview.canCertify && profile.login.mainAccountForCertification.enabled ? profile.login.mainAccountForCertification.note : undefined;
      throw await refuse(ProcurementErrorCode.HANDOFF_NOT_CERTIFIED, mainFirst);
    }
    if (actor.kind === 'operator' && !(await this.procurementActors.hallStanding(tenant, actor.unit.id, 'operator', session.data.actorId))) {
      throw await refuse(ProcurementErrorCode.HANDOFF_NOT_AUTHORISED);
    }
    const seconds = profile.procurement.handoffTicketSeconds;
    const ticket = await this.tickets.issue(tenant.provinceId, { unitId: actor.unit.id, actorKind: actor.kind, actorId: session.data.actorId }, seconds);
    await this.audit.record(tenant.provinceId, origin, { kind: 'procurement.ticket-issued', outcome: 'success', actorKind: actor.kind, actorId: session.data.actorId, unitId: actor.unit.id, detail: { expiresInSeconds: seconds } });
    return { ticket, url: `${tenant.basePath}/procurement/enter`, expiresInSeconds: seconds };
  }

  /** Spends the ticket and opens the procurement session; a replayed, expired or foreign ticket is refused. */
  async exchange(tenant: Tenant, ticket: string, origin: RequestOrigin, previousSessionId?: string): Promise<OpenedSession> {
    const holder = await this.tickets.consume(tenant.provinceId, ticket);
    const hall = holder && (await this.procurementActors.hallStanding(tenant, holder.unitId, holder.actorKind, holder.actorId));
    if (!holder || !hall) {
      await this.audit.record(tenant.provinceId, origin, { kind: 'procurement.ticket-refused', outcome: 'failure', actorKind: holder?.actorKind, actorId: holder?.actorId, unitId: holder?.unitId, detail: { reason: holder ? 'account-no-longer-stands' : 'invalid-expired-or-spent' } });
      throw procurementException(ProcurementErrorCode.TICKET_INVALID);
    }
    const account = await this.procurementAccounts.enterFromHall(tenant.provinceId, holder.unitId, holder.actorKind, holder.actorId, hall.name, this.clock.now());
    if (account.status !== 'active') throw identityException(IdentityErrorCode.ACCOUNT_DISABLED);
    const opened = await this.sessions.open(tenant, 'procurement', { kind: 'procurement-account', id: account.id, unitId: holder.unitId }, 'handoff', previousSessionId);
    await this.audit.record(tenant.provinceId, origin, { kind: 'procurement.session-opened', outcome: 'success', actorKind: 'procurement-account', actorId: account.id, unitId: holder.unitId, account: hall.login, detail: { method: 'handoff', hallActorKind: holder.actorKind, hallActorId: holder.actorId } });
    return opened;
  }
}
