import { Inject, Injectable } from '@nestjs/common';
import { AuditLog, type RequestOrigin } from '#src/audit/audit-log.js';
import { administrationException, AdministrationErrorCode } from '#src/administration/administration.exception.js';
import { AdministratorsRepository, type AdministratorRecord } from '#src/administration/administrators.repository.js';
import { identityException, IdentityErrorCode } from '#src/identity/identity.exception.js';
import { ACCOUNT_LOCKOUT, type LockoutSubject } from '#src/identity/login-lockout.js';
import { LoginGuardian } from '#src/identity/login/login-guardian.js';
import { PasswordSignIn } from '#src/identity/login/password-sign-in.js';
import { PasswordHasher } from '#src/identity/password-hasher.js';
import { SessionService, type LiveSession, type OpenedSession } from '#src/identity/sessions/session.service.js';
import type { Tenant } from '#src/tenancy/tenant.js';

const MAX_ACCOUNT_LENGTH = 64;

export interface SignedIn {
  opened: OpenedSession;
  administrator: AdministratorRecord;
}

/**
 * Province administrators sign in with account + password + graphic captcha into a session of the
 * `admin` realm, bound to this province. The shared lockout counts their failures as it counts the
 * hall's (per account and per client address), and an unknown account gets exactly the answer of
 * a wrong password, after the same argon2 work (a verify against the dummy hash). Unlike
 * PasswordSignIn.verify, failures are `admin.session.failed` and unknown names are counted apart
 * from the hall's, so the trail tells an attack on the administrators from one on the units.
 */
@Injectable()
export class AdminSignInService {
  constructor(
    @Inject(AdministratorsRepository) private readonly administrators: AdministratorsRepository,
    @Inject(PasswordHasher) private readonly passwords: PasswordHasher,
    @Inject(PasswordSignIn) private readonly form: PasswordSignIn,
    @Inject(LoginGuardian) private readonly guardian: LoginGuardian,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  async signIn(tenant: Tenant, body: unknown, origin: RequestOrigin, previousSessionId?: string): Promise<SignedIn> {
    // The form's fields and the captcha, read as every password sign-in reads them.
    const { account, password } = await this.form.readForm(tenant, body, { graphicCaptcha: true, accountHint: '请输入管理员账号' });
    const found = await this.administrators.byAccountName(tenant.provinceId, account);
    const subject = found ? administratorSubject(found.id) : unknownAdministratorSubject(tenant, account);
    await this.guardian.assertNotLocked(tenant, [subject], origin, account);
    if (!(await this.passwords.verify(found?.passwordHash, password)) || !found) {
      await this.guardian.failed(tenant, [subject], origin, {
        kind: 'admin.session.failed',
        account,
        actorKind: found && 'administrator',
        actorId: found?.id,
        reason: found ? 'wrong-password' : 'unknown-account',
      });
      throw administrationException(AdministrationErrorCode.INVALID_CREDENTIALS, undefined, { password: '管理员账号或密码错误' });
    }
    await this.guardian.succeeded(subject);
    if (found.status !== 'active') {
      await this.audit.record(tenant.provinceId, origin, { kind: 'admin.session.refused-disabled', outcome: 'failure', actorKind: 'administrator', actorId: found.id, account });
      throw administrationException(AdministrationErrorCode.ACCOUNT_DISABLED);
    }
    // A new session id every time; the one the browser had before (if any) ends here.
    const opened = await this.sessions.open(tenant, 'admin', { kind: 'administrator', id: found.id }, 'password', previousSessionId);
    await this.audit.record(tenant.provinceId, origin, { kind: 'admin.session.opened', outcome: 'success', actorKind: 'administrator', actorId: found.id, account: found.accountName, detail: { method: 'password' } });
    return { opened, administrator: found };
  }

  /** The administrator behind a session: one disabled since, or of another province, is no one. */
  async current(tenant: Tenant, session: LiveSession): Promise<AdministratorRecord> {
    const { actorKind, actorId } = session.data;
    const administrator = actorKind === 'administrator' ? await this.administrators.byId(tenant.provinceId, actorId) : undefined;
    if (administrator?.status !== 'active') throw identityException(IdentityErrorCode.SESSION_REQUIRED);
    return administrator;
  }

  signOut(session: LiveSession, origin: RequestOrigin): Promise<void> {
    // SessionService.end deletes the session and records `session.closed` with the administrator as actor.
    return this.sessions.end(session, origin);
  }
}

function administratorSubject(id: string): LockoutSubject {
  return { key: `administrator:${id}`, policy: ACCOUNT_LOCKOUT };
}

/** Counted like a known one, so a lock says nothing about whether the account exists. */
function unknownAdministratorSubject(tenant: Tenant, account: string): LockoutSubject {
  return { key: `unknown-administrator:${tenant.provinceId}:${account.toLowerCase().slice(0, MAX_ACCOUNT_LENGTH)}`, policy: ACCOUNT_LOCKOUT };
}
