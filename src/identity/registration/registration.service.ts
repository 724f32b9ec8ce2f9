import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditLog, type RequestOrigin } from '#src/audit/audit-log.js';
import { CLOCK, type Clock } from '#src/clock/clock.js';
import { isUniqueViolation } from '#src/database/postgres-errors.js';
import { AccountsRepository } from '#src/identity/accounts.repository.js';
import { identityException, IdentityErrorCode } from '#src/identity/identity.exception.js';
import { LoginGuardian } from '#src/identity/login/login-guardian.js';
import { PasswordHasher } from '#src/identity/password-hasher.js';
import { readRegistration, type RegistrationInput } from '#src/identity/registration/registration-body.js';
import { NATIONAL_REGISTRY, type NationalRegistry } from '#src/national-registry/national-registry.port.js';
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';
import type { Tenant } from '#src/tenancy/tenant.js';
import { CaptchaService } from '#src/verification/captcha.service.js';
import { SmsCodeService } from '#src/verification/sms-code.service.js';

export interface RegistrationResult {
  unit: { id: string; name: string; uscc: string };
  unitAccount: string;
  operatorAccount: string;
  /** True when the operator already had a national account and was bound with their password (JL-3). */
  operatorExisted: boolean;
  /** The accounts this registration created, under the province's names (HN-4: 管理员 + 经办员). */
  accountsCreated: Array<{ id: string; label: string; account: string }>;
}

/**
 * Unit registration (N-5, XZ-4, JL-2, JL-3, HN-3, HN-4, AH-2): the profile's fields and checks, the
 * national registry (N-4), once per province (HN-4, XZ-3), then the unit account and the first
 * operator in one transaction. Cheap checks run first; the SMS code (which proves the operator's
 * phone) is spent only when everything else is right, and before any operator password is checked,
 * so registration is never a way to test someone's password without their phone.
 */
@Injectable()
export class RegistrationService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(NATIONAL_REGISTRY) private readonly registry: NationalRegistry,
    @Inject(AccountsRepository) private readonly accounts: AccountsRepository,
    @Inject(PasswordHasher) private readonly passwords: PasswordHasher,
    @Inject(CaptchaService) private readonly captchas: CaptchaService,
    @Inject(SmsCodeService) private readonly codes: SmsCodeService,
    @Inject(LoginGuardian) private readonly guardian: LoginGuardian,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  async register(tenant: Tenant, body: unknown, origin: RequestOrigin): Promise<RegistrationResult> {
    const { profile, provinceId } = tenant;
    const registration = profile.registration;
    if (!registration.enabled) throw identityException(IdentityErrorCode.REGISTRATION_CLOSED);
    const read = readRegistration(profile, body, this.clock.now());
    if (!read.ok) throw identityException(IdentityErrorCode.REGISTRATION_INVALID, undefined, read.fields);
    const input = read.value;
    if (registration.graphicCaptcha.enabled) await this.captchas.consume(provinceId, input.captchaId ?? '', input.captcha ?? '');

    await this.checkUnit(tenant, input);
    if (registration.smsCode.enabled) {
      await this.codes.verify({ provinceId, phone: input.operator.mobile, purpose: 'registration', code: input.smsCode ?? '' });
    }
    const existing = await this.checkOperator(tenant, input, origin);

    const unitId = randomUUID();
    const operatorId = existing?.id ?? randomUUID();
    const [unitHash, operatorHash] = await Promise.all([this.passwords.hash(input.unit.unitPassword), existing ? undefined : this.passwords.hash(input.operator.password)]);
    const now = this.clock.now();
    const { unitPassword: _unitPassword, ...details } = input.unit;
    try {
      await this.db.transaction(async (tx) => {
        await this.accounts.insertUnit(
          tx,
          { id: unitId, provinceId, uscc: input.unit.uscc, name: input.unit.unitName, details, accountName: input.unit.unitAccount, passwordHash: unitHash, recoveryPhone: input.operator.mobile },
          now,
        );
        if (!existing && operatorHash) await this.accounts.insertOperator(tx, operatorId, input.operator, operatorHash, now);
        await this.accounts.bindOperator(tx, provinceId, unitId, operatorId, now);
        await this.audit.record(
          provinceId,
          origin,
          { kind: 'registration.created', outcome: 'success', actorKind: 'unit', actorId: unitId, unitId, account: input.unit.unitAccount, detail: { uscc: input.unit.uscc, operatorId, operatorExisted: existing !== undefined } },
          tx,
        );
      });
    } catch (error) {
      // Two registrations raced past the checks above: the unique indexes decide, nothing is half-written.
      if (isUniqueViolation(error, 'units_uscc_idx')) throw this.duplicate(tenant, input, false);
      if (isUniqueViolation(error, 'units_account_idx')) throw identityException(IdentityErrorCode.UNIT_ACCOUNT_TAKEN, undefined, { 'unit.unitAccount': '该单位账号已被使用' });
      if (isUniqueViolation(error)) throw identityException(IdentityErrorCode.OPERATOR_DOCUMENT_TAKEN, '经办人信息与他人冲突，请重试', { 'operator.mobile': '请重试' });
      throw error;
    }
    const accountOf = (kind: string) => (kind === 'unit' ? input.unit.unitAccount : input.operator.mobile);
    return {
      unit: { id: unitId, name: input.unit.unitName, uscc: input.unit.uscc },
      unitAccount: input.unit.unitAccount,
      operatorAccount: input.operator.mobile,
      operatorExisted: existing !== undefined,
      accountsCreated: registration.accountsCreated.map((a) => ({ id: a.id, label: a.label, account: accountOf(a.kind) })),
    };
  }

  private async checkUnit(tenant: Tenant, input: RegistrationInput): Promise<void> {
    const { profile, provinceId } = tenant;
    const registration = profile.registration;
    if (registration.requireNationalCode.enabled && !(await this.registry.findByUscc(input.unit.uscc))) throw notInNationalRegistry(profile, 'unit.uscc');
    if (registration.onePerUnit.enabled && (await this.accounts.unitByUscc(provinceId, input.unit.uscc))) throw this.duplicate(tenant, input, false);
    if (registration.existingAccountElsewhere.enabled && (await this.accounts.provincesWithUnit(input.unit.uscc, provinceId)).length > 0) throw this.duplicate(tenant, input, true);
    if (await this.accounts.unitByAccountName(provinceId, input.unit.unitAccount)) {
      throw identityException(IdentityErrorCode.UNIT_ACCOUNT_TAKEN, undefined, { 'unit.unitAccount': '该单位账号已被使用' });
    }
  }

  /**
   * The province's own wording (XZ-3): with two messages, the first says the unit has an account
   * elsewhere, the last that this province already has it.
   */
  private duplicate(tenant: Tenant, input: RegistrationInput, elsewhere: boolean) {
    const registration = tenant.profile.registration;
    const messages = registration.duplicateMessages;
    const message = (elsewhere ? messages[0] : messages.at(-1)) ?? '该社会信用代码已被注册';
    const hint = elsewhere ? registration.existingAccountElsewhere.note : undefined;
    return identityException(IdentityErrorCode.UNIT_ALREADY_REGISTERED, hint ? `${message}。${hint}` : message, { 'unit.uscc': message }, { uscc: input.unit.uscc, elsewhere });
  }

  /**
   * Operators are national persons (JL-3, JL-11): an existing one is bound with their existing
   * password and their stored identity stays as it is. A wrong password counts towards the
   * operator's login lockout like a failed login.
   */
  private async checkOperator(tenant: Tenant, input: RegistrationInput, origin: RequestOrigin) {
    const existing = await this.accounts.operatorByMobile(input.operator.mobile);
    if (!existing) {
      const sameDocument = await this.accounts.operatorByDocument(input.operator.idType, input.operator.idNumber);
      if (sameDocument) throw identityException(IdentityErrorCode.OPERATOR_DOCUMENT_TAKEN, undefined, { 'operator.idNumber': '该证件号码已登记在另一个手机号的经办人账号下' });
      return undefined;
    }
    const subject = this.guardian.operatorSubject(existing.id);
    await this.guardian.assertNotLocked(tenant, [subject], origin, input.operator.mobile);
    if (!(await this.passwords.verify(existing.passwordHash, input.operator.password))) {
      await this.guardian.failed(tenant, [subject], origin, { kind: 'registration.operator-password', account: input.operator.mobile, actorKind: 'operator', actorId: existing.id });
      throw identityException(IdentityErrorCode.OPERATOR_PASSWORD_MISMATCH, tenant.profile.registration.reuseExistingOperatorPassword.note, { 'operator.password': '该经办人账号已存在，请输入其原来的登录密码' });
    }
    return existing;
  }
}

/** N-4, AH-5: a credit code the national coding database does not know, with where to maintain it (the form's field named). */
export function notInNationalRegistry(profile: ProvinceProfile, field: string) {
  const link = profile.urls.codeMaintenance;
  return identityException(IdentityErrorCode.UNIT_NOT_IN_NATIONAL_REGISTRY, undefined, { [field]: '该统一社会信用代码不在国家医保信息业务编码标准数据库中' }, { codeMaintenance: { title: link.title, url: link.url } });
}
