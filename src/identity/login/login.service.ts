import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditLog, type RequestOrigin } from '#src/audit/audit-log.js';
import { HallCaSignIn } from '#src/ca/hall/hall-ca-sign-in.js';
import { CLOCK, type Clock } from '#src/clock/clock.js';
import { isUniqueViolation } from '#src/database/postgres-errors.js';
import { AccountsRepository, type OperatorRecord, type UnitRecord } from '#src/identity/accounts.repository.js';
import { identityException, IdentityErrorCode } from '#src/identity/identity.exception.js';
import { LoginGuardian } from '#src/identity/login/login-guardian.js';
import { PasswordSignIn } from '#src/identity/login/password-sign-in.js';
import { QrLoginService } from '#src/identity/login/qr-login.service.js';
import { PasswordHasher } from '#src/identity/password-hasher.js';
import { asRecord, text } from '#src/identity/request-body.js';
import { SessionService, type OpenedSession, type SessionActor } from '#src/identity/sessions/session.service.js';
import type { LoginMethodId, ProvinceProfile } from '#src/profiles/profile.schema.js';
import type { Tenant } from '#src/tenancy/tenant.js';
import { CN_MOBILE } from '#src/verification/sms-code.service.js';

type LoginMethod = ProvinceProfile['login']['methods'][number];

type Found = { kind: 'unit'; unit: UnitRecord } | { kind: 'operator'; operator: OperatorRecord };

/**
 * Hall login (JL-4, NM-4, AH-3, HN-1, XZ-5, JL-10): unit account or operator (mobile) + password +
 * graphic captcha, the credit code instead of the account name where the province allows it
 * (普通登录, JL-4), QR tickets approved from a signed-in device (HN-1) and a bound CA certificate
 * (HN-1). An unknown account and a wrong password get the same answer after the same argon2 work;
 * the account's kind never shows.
 */
@Injectable()
export class LoginService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(AccountsRepository) private readonly accounts: AccountsRepository,
    @Inject(PasswordHasher) private readonly passwords: PasswordHasher,
    @Inject(PasswordSignIn) private readonly signIn: PasswordSignIn,
    @Inject(LoginGuardian) private readonly guardian: LoginGuardian,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(QrLoginService) private readonly qr: QrLoginService,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @Inject(HallCaSignIn) private readonly caSignIn: HallCaSignIn,
  ) {}

  async login(tenant: Tenant, body: unknown, origin: RequestOrigin, previousSessionId?: string): Promise<OpenedSession> {
    const value = asRecord(body);
    const method = offeredMethod(tenant.profile, value.method);
    if (method.id === 'qr') {
      const actor = await this.qr.consume(tenant, text(value.ticketId), text(value.pollToken));
      return this.open(tenant, actor, 'qr', origin, undefined, previousSessionId);
    }
    if (method.id === 'ca') {
      // HN-1: the certificate's hall binding names the unit account (src/ca); the session is opened here as for any method.
      const { unitId } = await this.caSignIn.unitOf(tenant, value, origin);
      return this.open(tenant, { kind: 'unit', id: unitId, unitId }, 'ca', origin, undefined, previousSessionId);
    }

    const { account, password } = await this.signIn.readForm(tenant, value, { graphicCaptcha: method.graphicCaptcha, accountHint: method.id === 'credit-code' ? '请输入统一社会信用代码' : undefined });

    const local = await this.find(tenant, method, account);
    const subject = !local ? this.guardian.unknownSubject(tenant, account) : local.kind === 'unit' ? this.guardian.unitSubject(local.unit.id) : this.guardian.operatorSubject(local.operator.id);
    await this.guardian.assertNotLocked(tenant, [subject], origin, account);
    const stored = !local ? undefined : local.kind === 'unit' ? local.unit.passwordHash : local.operator.passwordHash;
    let verified = await this.passwords.verify(stored, password);
    let found = local;
    if (!local && method.id === 'password') {
      const adopted = await this.adoptFromElsewhere(tenant, method, account, password, origin);
      if (adopted) [found, verified] = [{ kind: 'unit', unit: adopted }, true];
    }
    if (!verified) {
      await this.guardian.failed(tenant, [subject], origin, {
        kind: 'login.failed',
        account,
        actorKind: found?.kind,
        actorId: found && (found.kind === 'unit' ? found.unit.id : found.operator.id),
        reason: found ? 'wrong-password' : 'unknown-account',
      });
      throw identityException(IdentityErrorCode.INVALID_CREDENTIALS, undefined, { password: '账号或密码错误' });
    }
    await this.guardian.succeeded(subject);
    if (!found) throw identityException(IdentityErrorCode.INVALID_CREDENTIALS);
    const actor: SessionActor = found.kind === 'unit' ? { kind: 'unit', id: found.unit.id, unitId: found.unit.id } : { kind: 'operator', id: found.operator.id };
    const status = found.kind === 'unit' ? found.unit.status : found.operator.status;
    // JL-8: said only to whoever knows the password, so it tells nobody else the unit's state.
    if (status === 'deregistered') {
      await this.audit.record(tenant.provinceId, origin, { kind: 'login.refused-deregistered', outcome: 'failure', actorKind: actor.kind, actorId: actor.id, account, detail: { method: method.id } });
      throw identityException(IdentityErrorCode.ACCOUNT_DISABLED, '该单位已注销网上服务大厅账号，医保账户不受影响；如需重新使用，请联系本省医保局');
    }
    return this.open(tenant, actor, method.id, origin, account, previousSessionId, status === 'active');
  }

  /** Opens the session for an active account, picking the operator's only unit for them; audited. */
  private async open(
    tenant: Tenant,
    actor: SessionActor,
    method: LoginMethodId,
    origin: RequestOrigin,
    account: string | undefined,
    previousSessionId?: string,
    /** Whether the account just read is active; looked up when not known (QR). */
    active?: boolean,
  ): Promise<OpenedSession> {
    // Every way in passes here: a QR ticket approved before the account was disabled opens nothing.
    if (!(active ?? (await this.accounts.isActive(tenant.provinceId, actor.kind, actor.id)))) {
      await this.audit.record(tenant.provinceId, origin, { kind: 'login.refused-disabled', outcome: 'failure', actorKind: actor.kind, actorId: actor.id, account, detail: { method } });
      throw identityException(IdentityErrorCode.ACCOUNT_DISABLED);
    }
    let chosen = actor;
    if (actor.kind === 'operator') {
      const units = await this.accounts.unitsOfOperator(tenant.provinceId, actor.id);
      if (units.length === 0) {
        await this.audit.record(tenant.provinceId, origin, { kind: 'login.refused-unbound', outcome: 'failure', actorKind: 'operator', actorId: actor.id, account });
        throw identityException(IdentityErrorCode.OPERATOR_NOT_BOUND);
      }
      const stillBound = actor.unitId !== undefined && units.some((u) => u.unitId === actor.unitId);
      const only = units.length === 1 && !tenant.profile.login.chooseUnitAfterLogin.enabled ? units[0]?.unitId : undefined;
      chosen = { ...actor, unitId: stillBound ? actor.unitId : only };
    }
    const opened = await this.sessions.open(tenant, 'hall', chosen, method, previousSessionId);
    await this.audit.record(tenant.provinceId, origin, { kind: 'session.opened', outcome: 'success', actorKind: chosen.kind, actorId: chosen.id, unitId: chosen.unitId, account, detail: { method } });
    return opened;
  }

  /**
   * XZ-3: where the profile says so, a unit account of another province signs in here with its own
   * name and password; the first time, the unit gets this province's record (same credit code,
   * details and password), so everything after works on tenant rows as usual.
   */
  private async adoptFromElsewhere(tenant: Tenant, method: LoginMethod, account: string, password: string, origin: RequestOrigin): Promise<UnitRecord | undefined> {
    if (!tenant.profile.registration.existingAccountElsewhere.enabled || !(method.accounts as readonly string[]).includes('unit') || CN_MOBILE.test(account)) return undefined;
    for (const candidate of await this.accounts.unitsElsewhereByAccountName(account, tenant.provinceId)) {
      if (!(await this.passwords.verify(candidate.passwordHash, password))) continue;
      // The unit already has an account of its own here: that one is the way in.
      if (await this.accounts.unitByUscc(tenant.provinceId, candidate.uscc)) return undefined;
      const id = randomUUID();
      try {
        await this.db.transaction(async (tx) => {
          await this.accounts.insertUnit(tx, { ...candidate, id, provinceId: tenant.provinceId }, this.clock.now());
          await this.audit.record(tenant.provinceId, origin, { kind: 'unit.adopted', outcome: 'success', actorKind: 'unit', actorId: id, unitId: id, account, detail: { fromProvince: candidate.provinceId, uscc: candidate.uscc } }, tx);
        });
      } catch (error) {
        if (isUniqueViolation(error)) return undefined;
        throw error;
      }
      return this.accounts.unitById(tenant.provinceId, id);
    }
    return undefined;
  }

  private async find(tenant: Tenant, method: LoginMethod, account: string): Promise<Found | undefined> {
    const allows = (kind: string) => (method.accounts as readonly string[]).includes(kind);
    if (method.id === 'credit-code') {
      const unit = allows('unit') ? await this.accounts.unitByUscc(tenant.provinceId, account.toUpperCase()) : undefined;
      return unit && { kind: 'unit', unit };
    }
    // An operator's account is their mobile number (JL-9); a unit account starts with a letter.
    if (CN_MOBILE.test(account)) {
      const operator = allows('operator') ? await this.accounts.operatorByMobile(account) : undefined;
      return operator && { kind: 'operator', operator };
    }
    const unit = allows('unit') ? await this.accounts.unitByAccountName(tenant.provinceId, account) : undefined;
    return unit && { kind: 'unit', unit };
  }
}

/** The profile's method, or a coded refusal naming the ones the province offers. */
export function offeredMethod(profile: ProvinceProfile, requested: unknown): LoginMethod {
  const offered = profile.login.methods.filter((m) => m.enabled);
  const method = offered.find((m) => m.id === requested);
  if (method) return method;
  throw identityException(
    typeof requested === 'string' && requested !== '' ? IdentityErrorCode.LOGIN_METHOD_NOT_OFFERED : IdentityErrorCode.LOGIN_INVALID,
    typeof requested === 'string' && requested !== '' ? `${profile.name}未提供该登录方式（可用：${offered.map((m) => m.label).join('、')}）` : '请选择登录方式',
    { method: '本省未提供该登录方式' },
    { methods: offered.map((m) => m.id) },
  );
}
