import { Inject, Injectable } from '@nestjs/common';
import type { RequestOrigin } from '#src/audit/audit-log.js';
import { identityException, IdentityErrorCode } from '#src/identity/identity.exception.js';
import { LoginGuardian } from '#src/identity/login/login-guardian.js';
import type { LockoutSubject } from '#src/identity/login-lockout.js';
import { PasswordHasher } from '#src/identity/password-hasher.js';
import { asRecord, isStorableText, text } from '#src/identity/request-body.js';
import type { Tenant } from '#src/tenancy/tenant.js';
import { CaptchaService } from '#src/verification/captcha.service.js';

const MAX_ACCOUNT_LENGTH = 64;
const MAX_PASSWORD_LENGTH = 128;

export interface PasswordForm {
  account: string;
  password: string;
}

/** The account a typed name matched, as far as checking its password goes. */
export interface Candidate {
  subject: LockoutSubject;
  passwordHash: string | undefined;
  actorKind: string;
  actorId: string;
}

/**
 * The parts every password sign-in shares (hall, procurement's own login page, administrators):
 * the form's fields and graphic captcha, then the password checked under the shared lockout, an
 * unknown account costing the same argon2 work and getting the same answer as a wrong password.
 */
@Injectable()
export class PasswordSignIn {
  constructor(
    @Inject(CaptchaService) private readonly captchas: CaptchaService,
    @Inject(LoginGuardian) private readonly guardian: LoginGuardian,
    @Inject(PasswordHasher) private readonly passwords: PasswordHasher,
  ) {}

  /** Checks the fields and spends the captcha (one per attempt, right or wrong). */
  async readForm(tenant: Tenant, body: unknown, options: { graphicCaptcha: boolean; accountHint?: string }): Promise<PasswordForm> {
    const value = asRecord(body);
    const account = text(value.account).trim();
    const password = text(value.password);
    const fields: Record<string, string> = {};
    if (!account) fields.account = options.accountHint ?? '请输入账号';
    else if (account.length > MAX_ACCOUNT_LENGTH) fields.account = '账号过长';
    else if (!isStorableText(account)) fields.account = '账号含有无法识别的字符';
    if (!password) fields.password = '请输入密码';
    else if (password.length > MAX_PASSWORD_LENGTH) fields.password = '密码过长';
    if (options.graphicCaptcha) {
      if (!text(value.captchaId)) fields.captchaId = '请先获取图形验证码';
      if (!text(value.captcha).trim()) fields.captcha = '请输入图形验证码';
    }
    if (Object.keys(fields).length > 0) throw identityException(IdentityErrorCode.LOGIN_INVALID, undefined, fields);
    if (options.graphicCaptcha) await this.captchas.consume(tenant.provinceId, text(value.captchaId), text(value.captcha));
    return { account, password };
  }

  /** Resolves when the password is the candidate's; throws INVALID_CREDENTIALS (or LOGIN_LOCKED) otherwise. */
  async verify(tenant: Tenant, origin: RequestOrigin, form: PasswordForm, candidate: Candidate | undefined): Promise<void> {
    const subject = candidate?.subject ?? this.guardian.unknownSubject(tenant, form.account);
    await this.guardian.assertNotLocked(tenant, [subject], origin, form.account);
    if (await this.passwords.verify(candidate?.passwordHash, form.password)) {
      await this.guardian.succeeded(subject);
      return;
    }
    await this.guardian.failed(tenant, [subject], origin, { kind: 'login.failed', account: form.account, actorKind: candidate?.actorKind, actorId: candidate?.actorId, reason: candidate ? 'wrong-password' : 'unknown-account' });
    throw identityException(IdentityErrorCode.INVALID_CREDENTIALS, undefined, { password: '账号或密码错误' });
  }
}
