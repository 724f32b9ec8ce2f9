import { Inject, Injectable } from '@nestjs/common';
import { AuditLog, type RequestOrigin } from '#src/audit/audit-log.js';
import { identityException, IdentityErrorCode } from '#src/identity/identity.exception.js';
import { ACCOUNT_LOCKOUT, ADDRESS_LOCKOUT, LoginLockout, type LockoutSubject } from '#src/identity/login-lockout.js';
import type { Tenant } from '#src/tenancy/tenant.js';

export const LOGIN_LOCKOUT = Symbol('LOGIN_LOCKOUT');

export interface FailedAttempt {
  /** Audit kind of the failure: `login.failed`, `registration.operator-password`… */
  kind: string;
  account: string;
  actorKind?: string | undefined;
  actorId?: string | undefined;
  reason?: string | undefined;
}

/**
 * Brute-force defence around every password check (ASVS V6): locks per account and per client
 * address in shared storage, an audit event for every failure and every lock, and the locked
 * answer saying when to try again.
 */
@Injectable()
export class LoginGuardian {
  constructor(
    @Inject(LOGIN_LOCKOUT) private readonly lockout: LoginLockout,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  /** Operators are national: their lock holds in every province. */
  operatorSubject(operatorId: string): LockoutSubject {
    return { key: `operator:${operatorId}`, policy: ACCOUNT_LOCKOUT };
  }

  /** An account of the procurement subsystem's own login page (AH-6, AH-7). */
  procurementSubject(accountId: string): LockoutSubject {
    return { key: `procurement:${accountId}`, policy: ACCOUNT_LOCKOUT };
  }

  unitSubject(unitId: string): LockoutSubject {
    return { key: `unit:${unitId}`, policy: ACCOUNT_LOCKOUT };
  }

  /** An account name that matches nothing is counted too, so a lock says nothing about existence. */
  unknownSubject(tenant: Tenant, account: string): LockoutSubject {
    return { key: `unknown:${tenant.provinceId}:${account.toLowerCase().slice(0, 64)}`, policy: ACCOUNT_LOCKOUT };
  }

  addressSubject(origin: RequestOrigin): LockoutSubject {
    return { key: `ip:${origin.clientIp}`, policy: ADDRESS_LOCKOUT };
  }

  async assertNotLocked(tenant: Tenant, subjects: readonly LockoutSubject[], origin: RequestOrigin, account?: string): Promise<void> {
    const all = [...subjects, this.addressSubject(origin)];
    const seconds = await this.lockout.lockedForSeconds(all);
    if (seconds > 0) {
      await this.audit.record(tenant.provinceId, origin, { kind: 'login.refused-locked', outcome: 'failure', account, detail: { retryAfterSeconds: seconds } });
      throw locked(seconds);
    }
  }

  async failed(tenant: Tenant, subjects: readonly LockoutSubject[], origin: RequestOrigin, attempt: FailedAttempt): Promise<void> {
    const outcome = await this.lockout.recordFailure([...subjects, this.addressSubject(origin)]);
    const event = { account: attempt.account, actorKind: attempt.actorKind, actorId: attempt.actorId };
    await this.audit.record(tenant.provinceId, origin, { kind: attempt.kind, outcome: 'failure', ...event, detail: { reason: attempt.reason ?? 'wrong-password', failures: outcome.failures[0] } });
    if (outcome.lockedForSeconds > 0) {
      await this.audit.record(tenant.provinceId, origin, { kind: 'login.locked', outcome: 'failure', ...event, detail: { lockedForSeconds: outcome.lockedForSeconds } });
      throw locked(outcome.lockedForSeconds);
    }
  }

  succeeded(subject: LockoutSubject): Promise<void> {
    return this.lockout.recordSuccess(subject);
  }
}

function locked(seconds: number) {
  const wait = seconds < 120 ? `${seconds} 秒` : `${Math.ceil(seconds / 60)} 分钟`;
  return identityException(IdentityErrorCode.LOGIN_LOCKED, `登录失败次数过多，请 ${wait}后再试`, undefined, { retryAfterSeconds: seconds });
}
