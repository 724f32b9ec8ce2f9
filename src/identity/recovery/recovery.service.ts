import { Inject, Injectable } from '@nestjs/common';
import { AuditLog, type RequestOrigin } from '#src/audit/audit-log.js';
import { CLOCK, type Clock } from '#src/clock/clock.js';
import { checkPassword } from '#src/identity/checks/password-policy.js';
import { isValidUscc } from '#src/identity/checks/uscc.js';
import { AccountsRepository, type UnitRecord } from '#src/identity/accounts.repository.js';
import { identityException, IdentityErrorCode } from '#src/identity/identity.exception.js';
import { LoginGuardian } from '#src/identity/login/login-guardian.js';
import { PasswordHasher } from '#src/identity/password-hasher.js';
import { asRecord, isStorableText, maskPhone, text } from '#src/identity/request-body.js';
import { SessionService } from '#src/identity/sessions/session.service.js';
import type { Tenant } from '#src/tenancy/tenant.js';
import { CaptchaService } from '#src/verification/captcha.service.js';
import { CN_MOBILE, SmsCodeService, type SmsCodeIssued } from '#src/verification/sms-code.service.js';

export interface UnitAccountLookup {
  accountName: string;
  unitName: string;
}

/** Unit fields compared on a reset by registration details: what the unit typed, never secrets. */
const NOT_COMPARED = new Set(['unitPassword']);

/**
 * Account recovery (JL-6, JL-7): find the unit account by credit code; reset the unit account's
 * password by its registration details (exact match) or by credit code + an SMS code sent to the
 * mobile that registration verified. Operators cannot use it (JL-7): the unit resets theirs in the
 * hall. Wrong details count as failed logins of the unit (it is the same guess), and a reset ends
 * every session of the account.
 */
@Injectable()
export class RecoveryService {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(AccountsRepository) private readonly accounts: AccountsRepository,
    @Inject(PasswordHasher) private readonly passwords: PasswordHasher,
    @Inject(CaptchaService) private readonly captchas: CaptchaService,
    @Inject(SmsCodeService) private readonly codes: SmsCodeService,
    @Inject(LoginGuardian) private readonly guardian: LoginGuardian,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  /** 单位用户查询 (JL-6): behind a captcha, so the register cannot be read off by a script. */
  async lookup(tenant: Tenant, body: unknown): Promise<UnitAccountLookup> {
    if (!tenant.profile.unitAccount.lookupByCreditCode.enabled) throw identityException(IdentityErrorCode.RECOVERY_NOT_OFFERED, '本省未提供单位用户查询');
    const value = asRecord(body);
    requireFields({ uscc: [text(value.uscc).trim(), '请输入统一社会信用代码'], captchaId: [text(value.captchaId), '请先获取图形验证码'], captcha: [text(value.captcha).trim(), '请输入图形验证码'] });
    const uscc = readUscc(value.uscc);
    await this.captchas.consume(tenant.provinceId, text(value.captchaId), text(value.captcha));
    const unit = await this.accounts.unitByUscc(tenant.provinceId, uscc);
    if (!unit || unit.status === 'deregistered') throw identityException(IdentityErrorCode.UNIT_NOT_REGISTERED_HERE, undefined, { uscc: '未在本省注册' });
    return { accountName: unit.accountName, unitName: unit.name };
  }

  /** Step one of the credit-code reset: an SMS code to the registered mobile, shown masked. */
  async sendResetCode(tenant: Tenant, body: unknown, origin: RequestOrigin): Promise<SmsCodeIssued & { phone: string }> {
    this.requireMethod(tenant, 'credit-code');
    const value = asRecord(body);
    requireFields({ uscc: [text(value.uscc).trim(), '请输入统一社会信用代码'], captchaId: [text(value.captchaId), '请先获取图形验证码'], captcha: [text(value.captcha).trim(), '请输入图形验证码'] });
    const uscc = readUscc(value.uscc);
    const unit = await this.accounts.unitByUscc(tenant.provinceId, uscc);
    if (!unit || unit.status === 'deregistered') {
      // The captcha is spent all the same: every answer costs one.
      await this.captchas.consume(tenant.provinceId, text(value.captchaId), text(value.captcha));
      throw identityException(IdentityErrorCode.UNIT_NOT_REGISTERED_HERE, undefined, { uscc: '未在本省注册' });
    }
    const issued = await this.codes.request({ province: tenant.provinceId, phone: unit.recoveryPhone, purpose: 'password-reset', captchaId: text(value.captchaId), captcha: text(value.captcha), ip: origin.clientIp });
    await this.audit.record(tenant.provinceId, origin, { kind: 'recovery.code-sent', outcome: 'success', actorKind: 'unit', actorId: unit.id, unitId: unit.id, account: unit.accountName });
    return { ...issued, phone: maskPhone(unit.recoveryPhone) };
  }

  async reset(tenant: Tenant, body: unknown, origin: RequestOrigin): Promise<{ accountName: string; sessionsEnded: number }> {
    const value = asRecord(body);
    const methodId = text(value.method);
    this.requireMethod(tenant, methodId);
    const newPassword = text(value.newPassword);
    const confirm = text(value.confirmPassword);
    const unit = methodId === 'credit-code' ? await this.byCreditCode(tenant, value) : await this.byUnitInfo(tenant, value, origin);
    const policyProblem = checkPassword(tenant.profile.registration.passwordPolicy, newPassword, unit.accountName);
    const fields: Record<string, string> = {};
    if (policyProblem) fields.newPassword = policyProblem;
    if (confirm !== newPassword) fields.confirmPassword = '两次输入的密码不一致';
    if (Object.keys(fields).length > 0) throw identityException(IdentityErrorCode.RECOVERY_INVALID, undefined, fields);
    if (methodId === 'credit-code') await this.codes.verify({ provinceId: tenant.provinceId, phone: unit.recoveryPhone, purpose: 'password-reset', code: text(value.smsCode).trim() });

    await this.accounts.setUnitPassword(tenant.provinceId, unit.id, await this.passwords.hash(newPassword), this.clock.now());
    await this.guardian.succeeded(this.guardian.unitSubject(unit.id));
    const sessionsEnded = await this.sessions.endAllOf('unit', unit.id);
    await this.audit.record(tenant.provinceId, origin, { kind: 'recovery.password-reset', outcome: 'success', actorKind: 'unit', actorId: unit.id, unitId: unit.id, account: unit.accountName, detail: { method: methodId, sessionsEnded } });
    return { accountName: unit.accountName, sessionsEnded };
  }

  private requireMethod(tenant: Tenant, methodId: string): void {
    if (!tenant.profile.recovery.methods.some((m) => m.id === methodId)) {
      throw identityException(IdentityErrorCode.RECOVERY_NOT_OFFERED, `本省未提供该找回方式（可用：${tenant.profile.recovery.methods.map((m) => m.label).join('、') || '无'}）`, { method: '本省未提供该找回方式' });
    }
  }

  private async byCreditCode(tenant: Tenant, value: Record<string, unknown>): Promise<UnitRecord> {
    requireFields({ uscc: [text(value.uscc).trim(), '请输入统一社会信用代码'], smsCode: [text(value.smsCode).trim(), '请输入短信验证码'] });
    const uscc = readUscc(value.uscc);
    const unit = await this.accounts.unitByUscc(tenant.provinceId, uscc);
    if (!unit || unit.status === 'deregistered') throw identityException(IdentityErrorCode.UNIT_NOT_REGISTERED_HERE, undefined, { uscc: '未在本省注册' });
    return unit;
  }

  /** JL-7: every unit detail as registered; a mismatch and an unknown account answer alike. */
  private async byUnitInfo(tenant: Tenant, value: Record<string, unknown>, origin: RequestOrigin): Promise<UnitRecord> {
    const account = text(value.account).trim();
    requireFields({ account: [account, '请输入单位账号'], captchaId: [text(value.captchaId), '请先获取图形验证码'], captcha: [text(value.captcha).trim(), '请输入图形验证码'] });
    if (CN_MOBILE.test(account)) throw identityException(IdentityErrorCode.RECOVERY_NOT_FOR_OPERATORS, undefined, { account: '此处只能输入单位账号' });
    if (!isStorableText(account) || account.length > 64) throw identityException(IdentityErrorCode.RECOVERY_INVALID, undefined, { account: '单位账号格式有误' });
    await this.captchas.consume(tenant.provinceId, text(value.captchaId), text(value.captcha));
    const unit = await this.accounts.unitByAccountName(tenant.provinceId, account);
    const subject = unit ? this.guardian.unitSubject(unit.id) : this.guardian.unknownSubject(tenant, account);
    await this.guardian.assertNotLocked(tenant, [subject], origin, account);
    // The account typed on the first line is the registration's unitAccount unless the form repeats it.
    const given: Record<string, unknown> = { unitAccount: account, ...asRecord(value.unit) };
    const comparable = tenant.profile.registration.unitFields.filter((f) => !NOT_COMPARED.has(f.id) && f.format !== 'password');
    const matches = unit !== undefined && unit.status !== 'deregistered' && comparable.every((f) => (unit.details[f.id] ?? '') === normalise(f.format, text(given[f.id])));
    if (!unit || !matches) {
      await this.guardian.failed(tenant, [subject], origin, { kind: 'recovery.failed', account, actorKind: unit && 'unit', actorId: unit?.id, reason: 'details-mismatch' });
      throw identityException(IdentityErrorCode.RECOVERY_NO_MATCH);
    }
    return unit;
  }
}

function normalise(format: string, value: string): string {
  const trimmed = value.trim();
  return format === 'uscc' ? trimmed.toUpperCase() : trimmed;
}

/** A well-formed credit code (GB 32100), upper-cased; anything else is refused before any lookup. */
function readUscc(value: unknown): string {
  const uscc = text(value).trim().toUpperCase();
  if (!isValidUscc(uscc)) throw identityException(IdentityErrorCode.RECOVERY_INVALID, undefined, { uscc: '统一社会信用代码不正确：应为 18 位，且校验位须符合 GB 32100-2015' });
  return uscc;
}

function requireFields(checks: Record<string, [string, string]>): void {
  const fields: Record<string, string> = {};
  for (const [name, [value, message]] of Object.entries(checks)) if (!value) fields[name] = message;
  if (Object.keys(fields).length > 0) throw identityException(IdentityErrorCode.RECOVERY_INVALID, undefined, fields);
}
