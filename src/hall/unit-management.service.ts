import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditLog, type RequestOrigin } from '#src/audit/audit-log.js';
import { CLOCK, type Clock } from '#src/clock/clock.js';
import { hallException, HallErrorCode } from '#src/hall/hall.exception.js';
import { AccountsRepository, type UnitRecord } from '#src/identity/accounts.repository.js';
import { LoginGuardian } from '#src/identity/login/login-guardian.js';
import { PasswordSignIn } from '#src/identity/login/password-sign-in.js';
import { field } from '#src/identity/request-body.js';
import { SessionService, type LiveSession } from '#src/identity/sessions/session.service.js';
import { INSURANCE_CORE, type InsuranceCoreSystem } from '#src/national-registry/national-registry.port.js';
import type { Tenant } from '#src/tenancy/tenant.js';

/** What 单位管理 shows the unit account. */
export interface UnitManagementView {
  unit: { id: string; name: string; uscc: string; account: string };
  /** The unit's base data as registered; absent where the core system lacks them (XZ-9). */
  details?: Record<string, string> | undefined;
  /** XZ-9: the core system's message and that procurement is not affected. */
  coreDataMissing?: { message: string; note?: string | undefined } | undefined;
  /** JL-8: the unit account manages and does not transact; operators do. */
  canTransact: boolean;
  canDeregister: boolean;
  notes: { canTransact?: string | undefined; deregistration?: string | undefined };
}

/** The words to type to confirm deregistration, so that no stray click deregisters a unit. */
export const DEREGISTRATION_CONFIRMATION = '注销网厅账号';

/**
 * 单位管理 for the unit account: the unit's data (XZ-9 where the core system lacks them) and
 * 注销网厅账号 (JL-8). Deregistration marks the hall account and closes its operators' bindings —
 * rows kept, times set, audited — and the operators keep their own accounts (JL-11, HN-5).
 */
@Injectable()
export class UnitManagementService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(AccountsRepository) private readonly accounts: AccountsRepository,
    @Inject(INSURANCE_CORE) private readonly core: InsuranceCoreSystem,
    @Inject(PasswordSignIn) private readonly signIn: PasswordSignIn,
    @Inject(LoginGuardian) private readonly guardian: LoginGuardian,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  async view(tenant: Tenant, session: LiveSession): Promise<UnitManagementView> {
    const unit = await this.unitAccount(tenant, session);
    const { unitAccount } = tenant.profile;
    const missing = unitAccount.coreDataMissing.enabled && !(await this.core.hasUnitBaseData(unit.uscc));
    return {
      unit: { id: unit.id, name: unit.name, uscc: unit.uscc, account: unit.accountName },
      details: missing ? undefined : unit.details,
      coreDataMissing: missing ? { message: unitAccount.coreDataMissing.message ?? '核心系统不存在单位的统一社会信用代码对应的单位基本数据，无法操作', note: unitAccount.coreDataMissing.note } : undefined,
      canTransact: unitAccount.canTransact,
      canDeregister: unitAccount.canDeregisterHallAccount.enabled,
      notes: { canTransact: unitAccount.canTransact ? undefined : unitAccount.note, deregistration: unitAccount.canDeregisterHallAccount.note },
    };
  }

  /** {password, confirmation: 注销网厅账号}: the unit account's own password, counted as a login attempt. */
  async deregister(tenant: Tenant, session: LiveSession, body: unknown, origin: RequestOrigin): Promise<{ operatorsUnbound: number; sessionsEnded: number }> {
    if (!tenant.profile.unitAccount.canDeregisterHallAccount.enabled) throw hallException(HallErrorCode.DEREGISTRATION_NOT_OFFERED);
    const unit = await this.unitAccount(tenant, session);
    if (field(body, 'confirmation').trim() !== DEREGISTRATION_CONFIRMATION) {
      throw hallException(HallErrorCode.DEREGISTRATION_INVALID, undefined, { confirmation: `请输入“${DEREGISTRATION_CONFIRMATION}”以确认` });
    }
    const password = field(body, 'password');
    if (!password) throw hallException(HallErrorCode.DEREGISTRATION_INVALID, undefined, { password: '请输入单位账号的密码' });
    await this.signIn.verify(tenant, origin, { account: unit.accountName, password }, { subject: this.guardian.unitSubject(unit.id), passwordHash: unit.passwordHash, actorKind: 'unit', actorId: unit.id });
    const operators = await this.db.transaction(async (tx) => {
      const unbound = await this.accounts.deregisterUnit(tx, tenant.provinceId, unit.id, this.clock.now());
      if (!unbound) throw hallException(HallErrorCode.UNIT_ACCOUNT_ONLY);
      await this.audit.record(tenant.provinceId, origin, { kind: 'unit.deregistered', outcome: 'success', actorKind: 'unit', actorId: unit.id, unitId: unit.id, account: unit.accountName, detail: { uscc: unit.uscc, operatorsUnbound: unbound } }, tx);
      return unbound;
    });
    const sessionsEnded = await this.sessions.endAllOf('unit', unit.id);
    return { operatorsUnbound: operators.length, sessionsEnded };
  }

  private async unitAccount(tenant: Tenant, session: LiveSession): Promise<UnitRecord> {
    const unit = session.data.actorKind === 'unit' ? await this.accounts.unitById(tenant.provinceId, session.data.actorId) : undefined;
    if (unit?.status !== 'active') throw hallException(HallErrorCode.UNIT_ACCOUNT_ONLY, '只有单位账号（主账号）可以进入单位管理');
    return unit;
  }
}
