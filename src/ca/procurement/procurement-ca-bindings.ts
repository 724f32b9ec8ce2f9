import { Inject, Injectable } from '@nestjs/common';
import { AuditLog, type RequestOrigin } from '#src/audit/audit-log.js';
import { caException, CaErrorCode } from '#src/ca/ca.exception.js';
import { CaProofs, procurementVendorIds } from '#src/ca/ca-proofs.service.js';
import { CaStore, type Binding, type BindingVia, type CertificateRef } from '#src/ca/ca-store.js';
import { isUniqueViolation } from '#src/database/postgres-errors.js';
import { AccountsRepository } from '#src/identity/accounts.repository.js';
import { field, maskPhone } from '#src/identity/request-body.js';
import type { ProcurementActor } from '#src/procurement/procurement-actor.service.js';
import { ProcurementAccountsRepository, type ProcurementAccount, type ProcurementAccountKind } from '#src/procurement/procurement-accounts.repository.js';
import type { Tenant } from '#src/tenancy/tenant.js';

export interface CaBindingView {
  serial: string;
  subject: string;
  issuer: string;
  algorithm: string;
  notAfter: string;
  via: BindingVia;
  boundAt: string;
}

/** One row of 账号管理 as far as CA goes: an account the caller may bind or unbind. */
export interface CaAccountView {
  accountId: string;
  kind: ProcurementAccountKind;
  name: string;
  login: string;
  self: boolean;
  binding: CaBindingView | undefined;
}

export function bindingView(binding: Binding): CaBindingView {
  return { serial: binding.serial, subject: binding.subjectDn, issuer: binding.issuerDn, algorithm: binding.algorithm, notAfter: binding.notAfter.toISOString(), via: binding.via, boundAt: binding.createdAt.toISOString() };
}

/**
 * 账号管理 → CA绑定 / CA解绑 (HN-11 way 2, HN-12): the main account binds and unbinds for itself and
 * its sub-accounts (the unit's operators in procurement and its branch sub-accounts, AH-6), a
 * sub-account only for itself, as the profile's vendor allows. Binding proves possession of the
 * certificate's key (a fresh challenge signed), exactly as a login does. Provided in
 * ProcurementModule beside the login.
 */
@Injectable()
export class ProcurementCaBindings {
  constructor(
    @Inject(CaProofs) private readonly proofs: CaProofs,
    @Inject(CaStore) private readonly store: CaStore,
    @Inject(ProcurementAccountsRepository) private readonly procurementAccounts: ProcurementAccountsRepository,
    @Inject(AccountsRepository) private readonly accounts: AccountsRepository,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  async list(tenant: Tenant, actor: ProcurementActor): Promise<CaAccountView[]> {
    const manageable = await this.manageable(tenant, actor);
    const bindings = new Map((await this.store.bindingsOfAccounts(this.store.dataSource, tenant.provinceId, 'procurement', manageable.map((a) => a.id))).map((b) => [b.accountId, b]));
    const views: CaAccountView[] = [];
    for (const account of manageable) {
      const binding = bindings.get(account.id);
      views.push({ accountId: account.id, kind: account.kind, name: account.displayName, login: await this.loginOf(tenant, account), self: account.id === actor.accountId, binding: binding && bindingView(binding) });
    }
    return views;
  }

  async bind(tenant: Tenant, actor: ProcurementActor, body: unknown, origin: RequestOrigin): Promise<CaAccountView> {
    const target = await this.target(tenant, actor, field(body, 'accountId') || actor.accountId);
    const proven = await this.proofs.prove(tenant, procurementVendorIds(tenant), body, origin, 'procurement-binding');
    const unitUscc = actor.unit?.uscc;
    if (proven.seen.subjectUscc && unitUscc && proven.seen.subjectUscc !== unitUscc) throw caException(CaErrorCode.WRONG_UNIT, `证书所属单位（统一社会信用代码 ${proven.seen.subjectUscc}）与账号所属单位不一致`);
    await bindCertificate(this.store, this.audit, tenant, origin, { target, certificate: proven.seen, via: 'account-management', boundBy: `procurement-account:${actor.accountId}`, actor: actor.accountId });
    return (await this.list(tenant, actor)).find((a) => a.accountId === target.id) as CaAccountView;
  }

  async unbind(tenant: Tenant, actor: ProcurementActor, accountId: string, origin: RequestOrigin): Promise<void> {
    const target = await this.target(tenant, actor, accountId);
    const removed = await this.store.deleteBindingOfAccount(this.store.dataSource, tenant.provinceId, 'procurement', target.id);
    if (!removed) throw caException(CaErrorCode.BINDING_NOT_FOUND);
    await this.audit.record(tenant.provinceId, origin, { kind: 'ca.unbound', outcome: 'success', actorKind: 'procurement-account', actorId: actor.accountId, unitId: target.unitId, detail: { realm: 'procurement', accountId: target.id, serial: removed.serial } });
  }

  /** HN-12: an account the caller may bind for, or one refusal for every other (which tells nothing of it). */
  private async target(tenant: Tenant, actor: ProcurementActor, accountId: string): Promise<ProcurementAccount> {
    const found = (await this.manageable(tenant, actor)).find((a) => a.id === accountId);
    if (!found) throw caException(CaErrorCode.BINDING_NOT_ALLOWED);
    return found;
  }

  private async manageable(tenant: Tenant, actor: ProcurementActor): Promise<ProcurementAccount[]> {
    const rules = tenant.profile.caVendors.find((v) => v.procurementBinding)?.procurementBinding;
    if (!rules) throw caException(CaErrorCode.NOT_OFFERED, '本省招采子系统未提供 CA 证书绑定');
    const self = await this.procurementAccounts.byId(tenant.provinceId, actor.accountId);
    if (!self) return [];
    if (!actor.isMainAccount) return rules.subAccountForSelf ? [self] : [];
    const unitId = self.unitId;
    const subs = unitId && rules.mainAccountForSubAccounts ? [...(await this.procurementAccounts.ofUnit(tenant.provinceId, unitId, 'operator')), ...(await this.procurementAccounts.ofUnit(tenant.provinceId, unitId, 'branch'))] : [];
    return [self, ...subs];
  }

  private async loginOf(tenant: Tenant, account: ProcurementAccount): Promise<string> {
    if (account.loginName) return account.loginName;
    if (account.kind === 'unit' && account.unitId) return (await this.accounts.unitById(tenant.provinceId, account.unitId))?.accountName ?? '';
    if (account.kind === 'operator' && account.hallActorId) return maskPhone((await this.accounts.operatorById(account.hallActorId))?.mobile ?? '');
    return '';
  }
}

/**
 * Binds a proven certificate to a procurement account in one transaction: a certificate bound to
 * another account, or an account holding another certificate, is refused; binding the same pair
 * again changes nothing. Audited as `ca.bound`.
 */
export async function bindCertificate(
  store: CaStore,
  audit: AuditLog,
  tenant: Tenant,
  origin: RequestOrigin,
  input: { target: ProcurementAccount; certificate: CertificateRef; via: BindingVia; boundBy: string; actor: string },
): Promise<void> {
  const { target, certificate } = input;
  try {
    await store.dataSource.transaction(async (tx) => {
      const existing = await store.bindingOf(tx, tenant.provinceId, 'procurement', certificate);
      if (existing?.accountId === target.id) return;
      if (existing) throw caException(CaErrorCode.BOUND_ELSEWHERE);
      if ((await store.bindingsOfAccounts(tx, tenant.provinceId, 'procurement', [target.id])).length > 0) throw caException(CaErrorCode.ACCOUNT_ALREADY_BOUND);
      await store.insertBinding(tx, tenant.provinceId, { realm: 'procurement', accountId: target.id, unitId: target.unitId, via: input.via, boundBy: input.boundBy, ...certificate });
      await audit.record(tenant.provinceId, origin, { kind: 'ca.bound', outcome: 'success', actorKind: 'procurement-account', actorId: input.actor, unitId: target.unitId, detail: { realm: 'procurement', via: input.via, accountId: target.id, serial: certificate.serial } }, tx);
    });
  } catch (error) {
    // Two binds at once meet on the unique indexes: the loser is told what the winner did.
    if (isUniqueViolation(error)) throw caException(isUniqueViolation(error, 'ca_bindings_account_idx') ? CaErrorCode.ACCOUNT_ALREADY_BOUND : CaErrorCode.BOUND_ELSEWHERE);
    throw error;
  }
}
