import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditLog, type RequestOrigin } from '#src/audit/audit-log.js';
import { CLOCK, type Clock } from '#src/clock/clock.js';
import { hallException, HallErrorCode } from '#src/hall/hall.exception.js';
import { isUniqueViolation } from '#src/database/postgres-errors.js';
import { AccountsRepository, type OperatorRecord, type UnitOperatorRecord } from '#src/identity/accounts.repository.js';
import { checkIdNumber, normalizeIdNumber } from '#src/identity/checks/cn-id-number.js';
import { checkPassword } from '#src/identity/checks/password-policy.js';
import { PasswordHasher } from '#src/identity/password-hasher.js';
import { readOperator } from '#src/identity/registration/registration-body.js';
import { asRecord, field, maskPhone, text } from '#src/identity/request-body.js';
import { SessionService, type LiveSession } from '#src/identity/sessions/session.service.js';
import { SignedInActorService, type UnitView } from '#src/identity/sessions/signed-in-actor.service.js';
import type { Tenant } from '#src/tenancy/tenant.js';
import { CaptchaService } from '#src/verification/captcha.service.js';
import { CN_MOBILE, SmsCodeService, type SmsCodeIssued } from '#src/verification/sms-code.service.js';

export interface UnitOperatorView {
  operatorId: string;
  /** The operator's login account (JL-9: listed by mobile). */
  mobile: string;
  name: string;
  boundAt: string;
  /** 招采授权 (JL-9): when given, else absent; only where the province has it. */
  procurementAuthorisedAt?: string | undefined;
}

function operatorView(o: UnitOperatorRecord): UnitOperatorView {
  return { operatorId: o.operatorId, mobile: o.mobile, name: o.name, boundAt: o.boundAt.toISOString(), procurementAuthorisedAt: o.procurementAuthorisedAt?.toISOString() };
}

/**
 * 单位管理 → 单位经办人, for the unit account (JL-8, HN-4): list the unit's operators by mobile
 * (JL-9), add one by the province's flow (XZ-8, NM-2; SMS code to the operator's phone), reset an operator's password (JL-7, JL-9; every session of theirs ends), unbind one
 * (JL-9, HN-5: the operator keeps the account and no longer sees the unit). Operators are never
 * deleted (JL-11, HN-5). Every call works on the session's own unit: an operator of another unit is
 * not found.
 */
@Injectable()
export class OperatorsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SignedInActorService) private readonly actors: SignedInActorService,
    @Inject(AccountsRepository) private readonly accounts: AccountsRepository,
    @Inject(PasswordHasher) private readonly passwords: PasswordHasher,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @Inject(CaptchaService) private readonly captchas: CaptchaService,
    @Inject(SmsCodeService) private readonly codes: SmsCodeService,
  ) {}

  async list(tenant: Tenant, session: LiveSession): Promise<UnitOperatorView[]> {
    const unit = await this.managedUnit(tenant, session);
    const operators = await this.accounts.operatorsOfUnit(tenant.provinceId, unit.id);
    return operators.map((o) => operatorView(o));
  }

  /**
   * 招采授权 (JL-9): the unit account authorises an operator for procurement, or withdraws it. An
   * authorised operator enters procurement and no longer the unit's insurance business; withdrawing
   * ends their procurement sessions at the next request (the procurement session checks it).
   */
  async setProcurementAuthorisation(tenant: Tenant, session: LiveSession, operatorId: string, authorised: boolean, origin: RequestOrigin): Promise<UnitOperatorView> {
    if (!tenant.profile.operators.procurementAuthorisation.enabled) throw hallException(HallErrorCode.OPERATOR_ACTION_NOT_OFFERED, '本省未提供招采授权');
    const unit = await this.managedUnit(tenant, session);
    const at = authorised ? this.clock.now() : null;
    if (!(await this.accounts.setProcurementAuthorisation(tenant.provinceId, unit.id, operatorId, at))) throw hallException(HallErrorCode.OPERATOR_NOT_FOUND);
    await this.audit.record(tenant.provinceId, origin, { kind: authorised ? 'operator.procurement-authorised' : 'operator.procurement-withdrawn', outcome: 'success', actorKind: 'unit', actorId: session.data.actorId, unitId: unit.id, detail: { operatorId } });
    const operator = (await this.accounts.operatorsOfUnit(tenant.provinceId, unit.id)).find((o) => o.operatorId === operatorId);
    if (!operator) throw hallException(HallErrorCode.OPERATOR_NOT_FOUND);
    return operatorView(operator);
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

  /**
   * 发送验证码 for 新增经办人: to the registered operator found by the province's check (NM-2: the
   * mobile; XZ-8: the ID number), or to the new operator's own mobile where they register inline.
   */
  async sendAddCode(tenant: Tenant, session: LiveSession, body: unknown, origin: RequestOrigin): Promise<SmsCodeIssued & { phone: string }> {
    const unit = await this.managedUnit(tenant, session);
    const value = asRecord(body);
    const target = await this.target(tenant, value).catch(async (error: unknown) => {
      // Every answer costs a captcha, so the register cannot be read off by guessing.
      await this.captchas.consume(tenant.provinceId, text(value.captchaId), text(value.captcha)).catch(() => undefined);
      throw error;
    });
    const issued = await this.codes.request({ province: tenant.provinceId, phone: target.phone, purpose: 'add-operator', captchaId: text(value.captchaId), captcha: text(value.captcha), ip: origin.clientIp });
    await this.audit.record(tenant.provinceId, origin, { kind: 'operator.add-code-sent', outcome: 'success', actorKind: 'unit', actorId: session.data.actorId, unitId: unit.id, detail: { operatorId: target.operator?.id } });
    return { ...issued, phone: maskPhone(target.phone) };
  }

  /** 新增经办人 (XZ-8, NM-2): binds a registered operator, or registers and binds a new one in one step (XZ-8). */
  async add(tenant: Tenant, session: LiveSession, body: unknown, origin: RequestOrigin): Promise<UnitOperatorView & { registered: boolean }> {
    const unit = await this.managedUnit(tenant, session);
    const value = asRecord(body);
    const target = await this.target(tenant, value);
    const inline = target.operator ? undefined : readOperator(tenant.profile, value.operator, this.clock.now());
    if (inline && !inline.ok) throw hallException(HallErrorCode.OPERATOR_ADD_INVALID, undefined, inline.fields);
    if (target.operator && (await this.accounts.operatorsOfUnit(tenant.provinceId, unit.id)).some((o) => o.operatorId === target.operator?.id)) {
      throw hallException(HallErrorCode.OPERATOR_ALREADY_BOUND);
    }
    if (inline?.ok && (await this.accounts.operatorByDocument(inline.value.idType, inline.value.idNumber))) {
      throw hallException(HallErrorCode.OPERATOR_ADD_INVALID, undefined, { 'operator.idNumber': '该证件号码已登记在另一个经办人账号下' });
    }
    await this.codes.verify({ provinceId: tenant.provinceId, phone: target.phone, purpose: 'add-operator', code: text(value.smsCode).trim() });
    const now = this.clock.now();
    const operatorId = target.operator?.id ?? randomUUID();
    const passwordHash = inline?.ok ? await this.passwords.hash(inline.value.password) : undefined;
    try {
      await this.db.transaction(async (tx) => {
        if (inline?.ok && passwordHash) await this.accounts.insertOperator(tx, operatorId, inline.value, passwordHash, now);
        // NM-6: two people adding the same operator at once: one binds, the other is told so.
        if (!(await this.accounts.bindOperator(tx, tenant.provinceId, unit.id, operatorId, now))) throw hallException(HallErrorCode.OPERATOR_ALREADY_BOUND);
        await this.audit.record(tenant.provinceId, origin, { kind: 'operator.added', outcome: 'success', actorKind: 'unit', actorId: session.data.actorId, unitId: unit.id, detail: { operatorId, registered: inline !== undefined } }, tx);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw hallException(HallErrorCode.OPERATOR_MOBILE_TAKEN);
      throw error;
    }
    const name = target.operator?.name ?? (inline?.ok ? inline.value.name : '');
    return { operatorId, mobile: target.phone, name, boundAt: now.toISOString(), registered: inline !== undefined };
  }

  /** Who is being added, and the phone that proves it (the operator's own). */
  private async target(tenant: Tenant, value: Record<string, unknown>): Promise<{ phone: string; operator?: OperatorRecord | undefined }> {
    const { operators } = tenant.profile;
    let operator: OperatorRecord | undefined;
    if (operators.existingOperatorChecks.includes('id-number')) {
      const idType = text(value.idType).trim() || 'resident-id';
      const idNumber = normalizeIdNumber(text(value.idNumber).trim());
      const problem = idNumber ? checkIdNumber(idType, idNumber, this.clock.now()) : '请输入证件号码';
      // A new operator registering inline (XZ-8) is identified by their own fields instead.
      if (problem && !(operators.registerInline.enabled && value.operator !== undefined)) throw hallException(HallErrorCode.OPERATOR_ADD_INVALID, undefined, { idNumber: problem });
      operator = problem ? undefined : await this.accounts.operatorByDocument(idType, idNumber);
    } else {
      const mobile = text(value.mobile).trim();
      if (!CN_MOBILE.test(mobile) && !(operators.registerInline.enabled && value.operator !== undefined)) throw hallException(HallErrorCode.OPERATOR_ADD_INVALID, undefined, { mobile: '请输入 11 位手机号' });
      operator = CN_MOBILE.test(mobile) ? await this.accounts.operatorByMobile(mobile) : undefined;
    }
    if (operator) return { phone: operator.mobile, operator };
    if (!operators.registerInline.enabled) throw hallException(HallErrorCode.OPERATOR_NOT_REGISTERED, operators.registerInline.note ? undefined : '该经办人尚未注册经办人账号，请其先注册');
    const mobile = text(asRecord(value.operator).mobile).trim();
    if (!CN_MOBILE.test(mobile)) throw hallException(HallErrorCode.OPERATOR_ADD_INVALID, undefined, { 'operator.mobile': '请输入新经办人的 11 位手机号' });
    if (await this.accounts.operatorByMobile(mobile)) throw hallException(HallErrorCode.OPERATOR_MOBILE_TAKEN);
    return { phone: mobile };
  }

  /** The unit of a unit-account session: operators do not manage each other. */
  private async managedUnit(tenant: Tenant, session: LiveSession): Promise<UnitView> {
    const actor = await this.actors.describe(tenant, session);
    if (actor.kind !== 'unit' || !actor.unit) throw hallException(HallErrorCode.UNIT_ACCOUNT_ONLY);
    return actor.unit;
  }
}
