import { Inject, Injectable } from '@nestjs/common';
import { AuditLog, type RequestOrigin } from '#src/audit/audit-log.js';
import { CLOCK, type Clock } from '#src/clock/clock.js';
import { hallException, HallErrorCode } from '#src/hall/hall.exception.js';
import { AccountsRepository } from '#src/identity/accounts.repository.js';
import { checkPassword } from '#src/identity/checks/password-policy.js';
import { PasswordHasher } from '#src/identity/password-hasher.js';
import { field, maskPhone } from '#src/identity/request-body.js';
import { SessionService, type LiveSession } from '#src/identity/sessions/session.service.js';
import { SignedInActorService, type UnitView } from '#src/identity/sessions/signed-in-actor.service.js';
import type { Tenant } from '#src/tenancy/tenant.js';

export interface UnitOperatorView {
  operatorId: string;
  /** The operator's login account (JL-9: listed by mobile). */
  mobile: string;
  name: string;
  boundAt: string;
}

/**
 * 单位管理 → 单位经办人, for the unit account (JL-8, HN-4): list the unit's operators by mobile
 * (JL-9), reset an operator's password (JL-7, JL-9; every session of theirs ends), unbind one
 * (JL-9, HN-5: the operator keeps the account and no longer sees the unit). Operators are never
 * deleted (JL-11, HN-5). Every call works on the session's own unit: an operator of another unit is
 * not found.
 */
@Injectable()
export class OperatorsService {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SignedInActorService) private readonly actors: SignedInActorService,
    @Inject(AccountsRepository) private readonly accounts: AccountsRepository,
    @Inject(PasswordHasher) private readonly passwords: PasswordHasher,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  async list(tenant: Tenant, session: LiveSession): Promise<UnitOperatorView[]> {
    const unit = await this.managedUnit(tenant, session);
    const operators = await this.accounts.operatorsOfUnit(tenant.provinceId, unit.id);
    return operators.map((o) => ({ operatorId: o.operatorId, mobile: o.mobile, name: o.name, boundAt: o.boundAt.toISOString() }));
  }

  async unbind(tenant: Tenant, session: LiveSession, operatorId: string, origin: RequestOrigin): Promise<void> {
    if (!tenant.profile.operators.unbind.enabled) throw hallException(HallErrorCode.OPERATOR_ACTION_NOT_OFFERED, '本省未提供解除绑定');
    const unit = await this.managedUnit(tenant, session);
    if (!(await this.accounts.unbindOperator(tenant.provinceId, unit.id, operatorId, this.clock.now()))) throw hallException(HallErrorCode.OPERATOR_NOT_FOUND);
    await this.audit.record(tenant.provinceId, origin, { kind: 'operator.unbound', outcome: 'success', actorKind: 'unit', actorId: session.data.actorId, unitId: unit.id, detail: { operatorId } });
  }

  async resetPassword(tenant: Tenant, session: LiveSession, operatorId: string, body: unknown, origin: RequestOrigin): Promise<{ mobile: string; sessionsEnded: number }> {
    if (!tenant.profile.operators.passwordResetByUnitAccount.enabled) throw hallException(HallErrorCode.OPERATOR_ACTION_NOT_OFFERED, '本省未提供由单位账号重置经办人密码');
    const unit = await this.managedUnit(tenant, session);
    const operator = (await this.accounts.operatorsOfUnit(tenant.provinceId, unit.id)).find((o) => o.operatorId === operatorId);
    if (!operator) throw hallException(HallErrorCode.OPERATOR_NOT_FOUND);
    const newPassword = field(body, 'newPassword');
    const fields: Record<string, string> = {};
    const problem = checkPassword(tenant.profile.registration.passwordPolicy, newPassword, operator.mobile);
    if (problem) fields.newPassword = problem;
    if (field(body, 'confirmPassword') !== newPassword) fields.confirmPassword = '两次输入的密码不一致';
    if (Object.keys(fields).length > 0) throw hallException(HallErrorCode.OPERATOR_PASSWORD_INVALID, undefined, fields);
    await this.accounts.setOperatorPassword(operator.operatorId, await this.passwords.hash(newPassword), this.clock.now());
    const sessionsEnded = await this.sessions.endAllOf('operator', operator.operatorId);
    await this.audit.record(tenant.provinceId, origin, { kind: 'operator.password-reset', outcome: 'success', actorKind: 'unit', actorId: session.data.actorId, unitId: unit.id, detail: { operatorId, sessionsEnded } });
    return { mobile: maskPhone(operator.mobile), sessionsEnded };
  }

  /** The unit of a unit-account session: operators do not manage each other. */
  private async managedUnit(tenant: Tenant, session: LiveSession): Promise<UnitView> {
    const actor = await this.actors.describe(tenant, session);
    if (actor.kind !== 'unit' || !actor.unit) throw hallException(HallErrorCode.UNIT_ACCOUNT_ONLY);
    return actor.unit;
  }
}
