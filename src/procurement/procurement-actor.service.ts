import { Inject, Injectable } from '@nestjs/common';
import { CertificationsRepository } from '#src/hall/certifications.repository.js';
import { AccountsRepository } from '#src/identity/accounts.repository.js';
import { identityException, IdentityErrorCode } from '#src/identity/identity.exception.js';
import type { LiveSession } from '#src/identity/sessions/session.service.js';
import { SessionService } from '#src/identity/sessions/session.service.js';
import type { UnitView } from '#src/identity/sessions/signed-in-actor.service.js';
import { DISTRIBUTOR_ROLE_TYPE } from '#src/procurement/distributors/distributor-offer.js';
import { ProcurementAccountsRepository, type ProcurementAccount, type ProcurementAccountKind } from '#src/procurement/procurement-accounts.repository.js';
import type { Tenant } from '#src/tenancy/tenant.js';

/** GET …/procurement/session: the procurement account signed in, and what it stands for. */
export interface ProcurementActor {
  accountId: string;
  kind: ProcurementAccountKind;
  /** The login account: the hall's (unit account name, operator mobile) or the local login name. */
  account: string;
  name: string;
  unit?: UnitView | undefined;
  /** The unit's certified role types (N-3); a special institution is a medical institution (AH-7). */
  roleTypes: string[];
  /** The unit's main account: the only holder of permissions after registration (N-6). */
  isMainAccount: boolean;
  /**
   * JL-8, JL-10: where the unit account manages but cannot transact, a main account session may
   * administer (roles, accounts, sub-accounts) but business menus are for operators.
   */
  canTransact: boolean;
  method: string;
  idleExpiresAt: string;
  absoluteExpiresAt: string;
}

/**
 * Reads a procurement session back to the account it belongs to, checking on every request that the
 * account still stands: active, its hall unit not deregistered, its operator still bound to the unit
 * (JL-9, HN-5) and, where the province has it, still authorised for procurement (JL-9). Otherwise
 * every session of the account ends.
 */
@Injectable()
export class ProcurementActorService {
  constructor(
    @Inject(ProcurementAccountsRepository) private readonly procurementAccounts: ProcurementAccountsRepository,
    @Inject(AccountsRepository) private readonly accounts: AccountsRepository,
    @Inject(CertificationsRepository) private readonly certifications: CertificationsRepository,
    @Inject(SessionService) private readonly sessions: SessionService,
  ) {}

  async describe(tenant: Tenant, session: LiveSession): Promise<ProcurementActor> {
    const { data } = session;
    const account = data.actorKind === 'procurement-account' ? await this.procurementAccounts.byId(tenant.provinceId, data.actorId) : undefined;
    const standing = account && (await this.standing(tenant, account));
    if (!account || !standing) return this.endedFor(data.actorId);
    const roleTypes = account.kind === 'special' ? ['medical-institution'] : account.kind === 'distributor' ? [DISTRIBUTOR_ROLE_TYPE] : account.unitId ? await this.unitRoleTypes(tenant, account.unitId) : [];
    // HN-10: a distributor's account is the main account of its unit (N-6), and the enterprise itself transacts.
    const isMainAccount = account.kind === 'unit' || account.kind === 'distributor';
    return {
      accountId: account.id,
      kind: account.kind,
      account: standing.login,
      name: account.displayName,
      unit: standing.unit,
      roleTypes,
      isMainAccount,
      canTransact: account.kind !== 'unit' || tenant.profile.unitAccount.canTransact,
      method: data.method,
      idleExpiresAt: new Date(data.idleExpiresAt).toISOString(),
      absoluteExpiresAt: new Date(data.absoluteExpiresAt).toISOString(),
    };
  }

  /** The hall actor behind a ticket, if it may still enter: undefined when not. */
  async hallStanding(tenant: Tenant, unitId: string, kind: 'unit' | 'operator', actorId: string): Promise<{ unit: UnitView; login: string; name: string } | undefined> {
    const unit = await this.accounts.unitById(tenant.provinceId, unitId);
    if (unit?.status !== 'active') return undefined;
    const unitView = { id: unit.id, name: unit.name, uscc: unit.uscc };
    if (kind === 'unit') return actorId === unit.id ? { unit: unitView, login: unit.accountName, name: unit.name } : undefined;
    const operator = await this.accounts.operatorById(actorId);
    if (operator?.status !== 'active') return undefined;
    const binding = (await this.accounts.unitsOfOperator(tenant.provinceId, operator.id)).find((u) => u.unitId === unitId);
    if (!binding) return undefined;
    if (tenant.profile.operators.procurementAuthorisation.enabled && !binding.procurementAuthorisedAt) return undefined;
    return { unit: unitView, login: operator.mobile, name: operator.name };
  }

  private async standing(tenant: Tenant, account: ProcurementAccount): Promise<{ unit?: UnitView | undefined; login: string } | undefined> {
    if (account.status !== 'active') return undefined;
    if (account.kind === 'unit' || account.kind === 'operator') {
      if (!account.unitId || !account.hallActorId) return undefined;
      const hall = await this.hallStanding(tenant, account.unitId, account.kind, account.hallActorId);
      return hall && { unit: hall.unit, login: hall.login };
    }
    const login = account.loginName ?? '';
    if (account.kind === 'special') return { login };
    // The approved registration is the distributor's unit record in procurement (HN-10; see its migration).
    if (account.kind === 'distributor') return account.distributorRegistrationId ? { unit: { id: account.distributorRegistrationId, name: account.details.unitName ?? account.displayName, uscc: account.details.uscc ?? '' }, login } : undefined;
    // A branch sub-account lives while its main hospital's account does (AH-6).
    const main = account.unitId ? await this.accounts.unitById(tenant.provinceId, account.unitId) : undefined;
    return main?.status === 'active' ? { unit: { id: main.id, name: main.name, uscc: main.uscc }, login } : undefined;
  }

  private async unitRoleTypes(tenant: Tenant, unitId: string): Promise<string[]> {
    return [...new Set((await this.certifications.ofUnit(tenant.provinceId, unitId)).map((r) => r.roleType))];
  }

  private async endedFor(procurementAccountId: string): Promise<never> {
    await this.sessions.endAllOf('procurement-account', procurementAccountId);
    throw identityException(IdentityErrorCode.SESSION_REQUIRED);
  }
}
