import { Inject, Injectable } from '@nestjs/common';
import { AuditLog, type RequestOrigin } from '#src/audit/audit-log.js';
import { identityException, IdentityErrorCode } from '#src/identity/identity.exception.js';
import { LoginGuardian } from '#src/identity/login/login-guardian.js';
import { PasswordSignIn } from '#src/identity/login/password-sign-in.js';
import { asRecord, text } from '#src/identity/request-body.js';
import { SessionService, type OpenedSession } from '#src/identity/sessions/session.service.js';
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';
import { LOCAL_ACCOUNT_KINDS, ProcurementAccountsRepository } from '#src/procurement/procurement-accounts.repository.js';
import { ProcurementCaLogin } from '#src/ca/procurement/procurement-ca-login.js';
import { offersDistributorRegistration } from '#src/procurement/distributors/distributor-offer.js';
import { DistributorRegistrationsRepository } from '#src/procurement/distributors/distributor-registrations.repository.js';
import { registrationRefusal } from '#src/procurement/distributors/distributor-registrations.service.js';
import { procurementException, ProcurementErrorCode } from '#src/procurement/procurement.exception.js';
import type { Tenant } from '#src/tenancy/tenant.js';

/**
 * The procurement subsystem's own login page (`/{id}/procurement/login`): for the accounts that
 * never pass through the hall — branch sub-accounts of a main hospital with the same credit code
 * (AH-6), military, veterans' and prison institutions (AH-7) and distributors who registered here
 * (HN-10). Everyone else enters from the hall; their names are unknown here, with the same answer
 * as a wrong password. A distributor whose registration has no account yet is told it is waiting
 * or was rejected (with the reason) only once its password is proven, under the same lockout.
 */
@Injectable()
export class ProcurementLoginService {
  constructor(
    @Inject(PasswordSignIn) private readonly signIn: PasswordSignIn,
    @Inject(LoginGuardian) private readonly guardian: LoginGuardian,
    @Inject(ProcurementAccountsRepository) private readonly procurementAccounts: ProcurementAccountsRepository,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @Inject(ProcurementCaLogin) private readonly caLogin: ProcurementCaLogin,
    @Inject(DistributorRegistrationsRepository) private readonly distributorRegistrations: DistributorRegistrationsRepository,
  ) {}

  async login(tenant: Tenant, body: unknown, origin: RequestOrigin, previousSessionId?: string): Promise<OpenedSession> {
    // HN-11 CA账号登录 (src/ca): whoever has a bound certificate, local login page or not.
    if (text(asRecord(body).method) === 'ca') return this.caLogin.login(tenant, body, origin, previousSessionId);
    if (!hasLocalLogin(tenant.profile)) throw procurementException(ProcurementErrorCode.LOGIN_THROUGH_HALL, undefined, undefined, { hall: `${tenant.basePath}/login` });
    const method = text(asRecord(body).method) || 'password';
    if (method !== 'password') throw identityException(IdentityErrorCode.LOGIN_METHOD_NOT_OFFERED, '招采子系统自有登录页目前提供账号密码登录', { method: '请使用账号密码登录' }, { methods: ['password'] });
    const form = await this.signIn.readForm(tenant, body, { graphicCaptcha: true });
    const found = await this.procurementAccounts.byLoginName(tenant.provinceId, form.account);
    const local = found && LOCAL_ACCOUNT_KINDS.has(found.kind) ? found : undefined;
    const waiting = !local && offersDistributorRegistration(tenant.profile) ? await this.distributorRegistrations.latestWithoutAccount(tenant.provinceId, form.account) : undefined;
    const candidate = local
      ? { subject: this.guardian.procurementSubject(local.id), passwordHash: local.passwordHash, actorKind: 'procurement-account', actorId: local.id }
      : waiting && { subject: this.guardian.procurementSubject(waiting.id), passwordHash: waiting.passwordHash, actorKind: 'distributor-registration', actorId: waiting.id };
    await this.signIn.verify(tenant, origin, form, candidate);
    if (waiting) {
      await this.audit.record(tenant.provinceId, origin, { kind: 'login.refused-unapproved', outcome: 'failure', actorKind: 'distributor-registration', actorId: waiting.id, account: form.account, detail: { method: 'procurement-password', status: waiting.status } });
      throw registrationRefusal(waiting);
    }
    if (!local) throw identityException(IdentityErrorCode.INVALID_CREDENTIALS);
    if (local.status !== 'active') {
      await this.audit.record(tenant.provinceId, origin, { kind: 'login.refused-disabled', outcome: 'failure', actorKind: 'procurement-account', actorId: local.id, account: form.account, detail: { method: 'procurement-password' } });
      throw identityException(IdentityErrorCode.ACCOUNT_DISABLED);
    }
    const opened = await this.sessions.open(tenant, 'procurement', { kind: 'procurement-account', id: local.id, unitId: local.unitId }, 'password', previousSessionId);
    await this.procurementAccounts.markEntered(tenant.provinceId, local.id, new Date(opened.data.createdAt));
    await this.audit.record(tenant.provinceId, origin, { kind: 'procurement.session-opened', outcome: 'success', actorKind: 'procurement-account', actorId: local.id, unitId: local.unitId, account: form.account, detail: { method: 'password', accountKind: local.kind } });
    return opened;
  }
}

/** Whether anyone logs in at the subsystem's own page in this province (AH-6, AH-7, HN-10). */
export function hasLocalLogin(profile: ProvinceProfile): boolean {
  const { institutions } = profile;
  return institutions.branchSameUsccLogin === 'procurement-local' || institutions.special.some((s) => s.loginAt === 'procurement-local') || offersDistributorRegistration(profile);
}
