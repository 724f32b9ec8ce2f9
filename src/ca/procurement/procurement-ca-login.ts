import { Inject, Injectable } from '@nestjs/common';
import { AuditLog, type RequestOrigin } from '#src/audit/audit-log.js';
import { caException, CaErrorCode } from '#src/ca/ca.exception.js';
import { CaProofs, procurementVendorIds } from '#src/ca/ca-proofs.service.js';
import { ACTIVATION_SECONDS, CaStore, type SeenCertificate } from '#src/ca/ca-store.js';
import { bindCertificate } from '#src/ca/procurement/procurement-ca-bindings.js';
import { AccountsRepository } from '#src/identity/accounts.repository.js';
import { identityException, IdentityErrorCode } from '#src/identity/identity.exception.js';
import { asRecord, text } from '#src/identity/request-body.js';
import { SessionService, type OpenedSession } from '#src/identity/sessions/session.service.js';
import { ProcurementAccountsRepository, type ProcurementAccount } from '#src/procurement/procurement-accounts.repository.js';
import type { Tenant } from '#src/tenancy/tenant.js';

/** What the activation dialog shows before 激活 (HN-11 way 1): the account and the certificate. */
export interface ActivationOffer {
  ticket: string;
  expiresInSeconds: number;
  account: { accountId: string; kind: 'unit' | 'distributor'; name: string; login: string; unit: { name: string; uscc: string } };
  certificate: { serial: string; subject: string; issuer: string; notAfter: string };
}

/**
 * CA账号登录 at the procurement subsystem (HN-11): a certificate bound to a procurement account
 * signs that account in. An unbound one whose subject names a unit (its credit code) gets the
 * activation step: a one-time ticket, shown with the unit's main account, that 激活 spends to bind
 * the certificate to the main account and sign in; the certificate already proved itself once, and
 * the PIN stays the USB key's business. Provided in ProcurementModule (it needs procurement's
 * accounts; ProcurementLoginService calls it for `method: 'ca'`).
 */
@Injectable()
export class ProcurementCaLogin {
  constructor(
    @Inject(CaProofs) private readonly proofs: CaProofs,
    @Inject(CaStore) private readonly store: CaStore,
    @Inject(ProcurementAccountsRepository) private readonly procurementAccounts: ProcurementAccountsRepository,
    @Inject(AccountsRepository) private readonly accounts: AccountsRepository,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  async login(tenant: Tenant, body: unknown, origin: RequestOrigin, previousSessionId?: string): Promise<OpenedSession> {
    const vendorIds = procurementVendorIds(tenant);
    if (vendorIds.length === 0) throw caException(CaErrorCode.NOT_OFFERED, '本省招采子系统未提供 CA 证书登录');
    const ticket = text(asRecord(body).activationTicket).trim();
    if (ticket) return this.activate(tenant, ticket, origin, previousSessionId);

    const proven = await this.proofs.prove(tenant, vendorIds, body, origin, 'procurement-login');
    const binding = await this.store.bindingOf(this.store.dataSource, tenant.provinceId, 'procurement', proven.seen);
    if (binding) return this.open(tenant, binding.accountId, origin, previousSessionId);
    throw await this.activationOrRefusal(tenant, proven.seen, origin);
  }

  private async activationOrRefusal(tenant: Tenant, seen: SeenCertificate, origin: RequestOrigin) {
    const found = seen.subjectUscc ? await this.mainAccountOf(tenant, seen.subjectUscc) : undefined;
    const main = found?.account;
    const mainBound = main && (await this.store.bindingsOfAccounts(this.store.dataSource, tenant.provinceId, 'procurement', [main.id])).length > 0;
    if (!found || !main || mainBound || main.status !== 'active') {
      await this.audit.record(tenant.provinceId, origin, { kind: 'login.failed', outcome: 'failure', detail: { method: 'ca', realm: 'procurement', reason: 'certificate-not-bound', serial: seen.serial } });
      const why = mainBound ? '本单位主账号已绑定其他证书；如需更换，请用账号密码登录后在“用户基础设置 → 账号管理”中先解绑' : '请用账号密码登录招采系统后，在“用户基础设置 → 账号管理”中为账号绑定证书';
      return caException(CaErrorCode.NOT_BOUND, `该证书尚未绑定招采账号（序列号 ${seen.serial}）。${why}`, undefined, { serial: seen.serial });
    }
    const ticket = await this.store.issueActivation(tenant.provinceId, main.id, seen);
    await this.audit.record(tenant.provinceId, origin, { kind: 'ca.activation-offered', outcome: 'success', actorKind: 'procurement-account', actorId: main.id, unitId: main.unitId, detail: { serial: seen.serial } });
    const activation: ActivationOffer = {
      ticket,
      expiresInSeconds: ACTIVATION_SECONDS,
      account: { accountId: main.id, kind: found.kind, name: main.displayName, login: found.login, unit: found.unit },
      certificate: { serial: seen.serial, subject: seen.subjectDn, issuer: seen.issuerDn, notAfter: seen.notAfter.toISOString() },
    };
    return caException(CaErrorCode.ACTIVATION_REQUIRED, undefined, undefined, { activation });
  }

  /**
   * The main account a certificate's credit code names: the hall unit's, once it entered
   * procurement; otherwise the account of a distributor approved under that code (HN-10, HN-11).
   */
  private async mainAccountOf(tenant: Tenant, uscc: string): Promise<{ account: ProcurementAccount; kind: 'unit' | 'distributor'; login: string; unit: { name: string; uscc: string } } | undefined> {
    const unit = await this.accounts.unitByUscc(tenant.provinceId, uscc);
    const main = unit && (await this.procurementAccounts.ofUnit(tenant.provinceId, unit.id, 'unit'))[0];
    if (unit && main) return { account: main, kind: 'unit', login: unit.accountName, unit: { name: unit.name, uscc: unit.uscc } };
    const distributor = await this.procurementAccounts.distributorByUscc(tenant.provinceId, uscc);
    return distributor && { account: distributor, kind: 'distributor', login: distributor.loginName ?? '', unit: { name: distributor.displayName, uscc } };
  }

  /** 激活: the ticket names the main account and the certificate; the binding is made, then the session. */
  private async activate(tenant: Tenant, ticket: string, origin: RequestOrigin, previousSessionId?: string): Promise<OpenedSession> {
    const spent = await this.store.consumeActivation(tenant.provinceId, ticket);
    if (!spent) throw caException(CaErrorCode.ACTIVATION_INVALID);
    const account = await this.procurementAccounts.byId(tenant.provinceId, spent.accountId);
    if (!account) throw caException(CaErrorCode.ACTIVATION_INVALID);
    await bindCertificate(this.store, this.audit, tenant, origin, { target: account, certificate: spent, via: 'activation', boundBy: `procurement-account:${account.id}`, actor: account.id });
    return this.open(tenant, account.id, origin, previousSessionId);
  }

  private async open(tenant: Tenant, accountId: string, origin: RequestOrigin, previousSessionId?: string): Promise<OpenedSession> {
    const account: ProcurementAccount | undefined = await this.procurementAccounts.byId(tenant.provinceId, accountId);
    if (account?.status !== 'active') {
      await this.audit.record(tenant.provinceId, origin, { kind: 'login.refused-disabled', outcome: 'failure', actorKind: 'procurement-account', actorId: accountId, detail: { method: 'ca' } });
      throw identityException(IdentityErrorCode.ACCOUNT_DISABLED);
    }
    // The account's standing (its unit, its operator's binding) is checked by ProcurementActorService.describe right after.
    const opened = await this.sessions.open(tenant, 'procurement', { kind: 'procurement-account', id: account.id, unitId: account.unitId }, 'ca', previousSessionId);
    await this.procurementAccounts.markEntered(tenant.provinceId, account.id, new Date(opened.data.createdAt));
    await this.audit.record(tenant.provinceId, origin, { kind: 'procurement.session-opened', outcome: 'success', actorKind: 'procurement-account', actorId: account.id, unitId: account.unitId, detail: { method: 'ca', accountKind: account.kind } });
    return opened;
  }
}
