import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditLog, type RequestOrigin } from '#src/audit/audit-log.js';
import { CLOCK, type Clock } from '#src/clock/clock.js';
import { isUniqueViolation } from '#src/database/postgres-errors.js';
import { generatePassword } from '#src/identity/checks/password-generator.js';
import { PasswordHasher } from '#src/identity/password-hasher.js';
import { asRecord, text } from '#src/identity/request-body.js';
import { NATIONAL_REGISTRY, type NationalRegistry, type RegistryInstitution } from '#src/national-registry/national-registry.port.js';
import type { ProcurementActor } from '#src/procurement/procurement-actor.service.js';
import { readLoginName, readMobile, readName, readNewPassword } from '#src/procurement/local-account-fields.js';
import { ProcurementAccountsRepository, type NewLocalAccount, type ProcurementAccount } from '#src/procurement/procurement-accounts.repository.js';
import { procurementException, ProcurementErrorCode } from '#src/procurement/procurement.exception.js';
import type { Tenant } from '#src/tenancy/tenant.js';

export interface LocalAccountView {
  accountId: string;
  loginName: string;
  name: string;
  institutionCode: string;
  institutionKind: string;
  contactName?: string | undefined;
  contactPhone?: string | undefined;
  status: string;
  createdAt: string;
  firstEnteredAt?: string | undefined;
}

/**
 * Accounts that log in at the procurement subsystem's own page:
 * - 机构子账号 of a branch hospital sharing its main hospital's credit code, made by the main
 *   account (AH-6; JL-15's 添加机构子账号 with its required fields);
 * - military, veterans' and prison institutions (AH-7), made by the province administrator, with a
 *   generated password shown once.
 */
@Injectable()
export class LocalAccountsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ProcurementAccountsRepository) private readonly procurementAccounts: ProcurementAccountsRepository,
    @Inject(NATIONAL_REGISTRY) private readonly registry: NationalRegistry,
    @Inject(PasswordHasher) private readonly passwords: PasswordHasher,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  /** The branches under the main hospital's credit code, and the sub-accounts made so far. */
  async subAccounts(tenant: Tenant, actor: ProcurementActor): Promise<{ branches: RegistryInstitution[]; accounts: LocalAccountView[] }> {
    const unit = this.mainUnit(tenant, actor);
    const branches = await this.branchesOf(unit.uscc);
    return { branches, accounts: (await this.procurementAccounts.ofUnit(tenant.provinceId, unit.id, 'branch')).map(localView) };
  }

  async createSubAccount(tenant: Tenant, actor: ProcurementActor, body: unknown, origin: RequestOrigin): Promise<LocalAccountView> {
    const unit = this.mainUnit(tenant, actor);
    const value = asRecord(body);
    const fields: Record<string, string> = {};
    const code = text(value.institutionCode).trim();
    const branch = (await this.branchesOf(unit.uscc)).find((b) => b.code === code);
    if (!branch) fields.institutionCode = '请选择本信用代码下的分院';
    const loginName = readLoginName(value, fields);
    const password = readNewPassword(tenant.profile, value, loginName, fields);
    const contactName = readName(value, 'contactName', 50, '请输入联系人姓名（50 字以内）', fields);
    const contactPhone = readMobile(value, 'contactPhone', fields);
    if (Object.keys(fields).length > 0 || !branch) throw procurementException(ProcurementErrorCode.SUB_ACCOUNT_INVALID, undefined, fields);
    const account: NewLocalAccount = {
      kind: 'branch',
      unitId: unit.id,
      loginName,
      passwordHash: await this.passwords.hash(password),
      displayName: branch.name,
      details: { institutionCode: branch.code, institutionKind: branch.kind, contactName, contactPhone },
      createdBy: `procurement-account:${actor.accountId}`,
    };
    const id = await this.insert(tenant, account, origin, { kind: 'procurement.sub-account-created', actorId: actor.accountId, unitId: unit.id });
    return localView(await this.mustFind(tenant, id));
  }

  /** AH-7: the institutions of the province's special kinds that log in at the subsystem's own page. */
  async specialInstitutions(tenant: Tenant): Promise<{ institutions: Array<RegistryInstitution & { kindName: string }>; accounts: LocalAccountView[] }> {
    const kinds = specialKinds(tenant);
    if (kinds.size === 0) throw procurementException(ProcurementErrorCode.SPECIAL_INSTITUTIONS_NOT_OFFERED);
    const institutions = (await this.registry.listByProvince(tenant.provinceId)).flatMap((e) => e.institutions).filter((i) => kinds.has(i.kind));
    return { institutions: institutions.map((i) => ({ ...i, kindName: kinds.get(i.kind) ?? i.kind })), accounts: (await this.procurementAccounts.special(tenant.provinceId)).map(localView) };
  }

  /** Made by a province administrator; the generated password is in the answer, once. */
  async createSpecialAccount(tenant: Tenant, administratorId: string, body: unknown, origin: RequestOrigin): Promise<LocalAccountView & { password: string }> {
    const { institutions } = await this.specialInstitutions(tenant);
    const value = asRecord(body);
    const fields: Record<string, string> = {};
    const institution = institutions.find((i) => i.code === text(value.institutionCode).trim());
    if (!institution) fields.institutionCode = '请选择国家编码库中本省的部队、荣军或监狱相关医疗机构';
    const loginName = readLoginName(value, fields);
    if (Object.keys(fields).length > 0 || !institution) throw procurementException(ProcurementErrorCode.SPECIAL_ACCOUNT_INVALID, undefined, fields);
    const password = generatePassword(tenant.profile.registration.passwordPolicy, loginName);
    const id = await this.insert(
      tenant,
      { kind: 'special', unitId: undefined, loginName, passwordHash: await this.passwords.hash(password), displayName: institution.name, details: { institutionCode: institution.code, institutionKind: institution.kind }, createdBy: `administrator:${administratorId}` },
      origin,
      { kind: 'procurement.special-account-created', actorId: administratorId, actorKind: 'administrator' },
    );
    return { ...localView(await this.mustFind(tenant, id)), password };
  }

  /** One account per institution and per login name; concurrent creations meet on the unique index. */
  private async insert(tenant: Tenant, account: NewLocalAccount, origin: RequestOrigin, event: { kind: string; actorId: string; actorKind?: string; unitId?: string }): Promise<string> {
    const code = account.details.institutionCode ?? '';
    if (await this.procurementAccounts.institutionTaken(tenant.provinceId, code)) throw procurementException(ProcurementErrorCode.SUB_ACCOUNT_TAKEN, '该机构已有账号', { institutionCode: '该机构已有账号' });
    try {
      return await this.db.transaction(async (tx) => {
        const id = await this.procurementAccounts.insertLocal(tx, tenant.provinceId, account, this.clock.now());
        await this.audit.record(tenant.provinceId, origin, { kind: event.kind, outcome: 'success', actorKind: event.actorKind ?? 'procurement-account', actorId: event.actorId, unitId: event.unitId, detail: { accountId: id, loginName: account.loginName, institutionCode: code } }, tx);
        return id;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw procurementException(ProcurementErrorCode.SUB_ACCOUNT_TAKEN, '该登录账号已被使用', { loginName: '该登录账号已被使用' });
      throw error;
    }
  }

  private async mustFind(tenant: Tenant, id: string): Promise<ProcurementAccount> {
    const account = await this.procurementAccounts.byId(tenant.provinceId, id);
    if (!account) throw new Error(`procurement account ${id} vanished after insert`);
    return account;
  }

  private mainUnit(tenant: Tenant, actor: ProcurementActor): { id: string; uscc: string } {
    const { procurement, institutions } = tenant.profile;
    if (!procurement.subAccounts.enabled || institutions.branchSameUscc !== 'main-registers') throw procurementException(ProcurementErrorCode.SUB_ACCOUNTS_NOT_OFFERED);
    if (!actor.isMainAccount || !actor.unit) throw procurementException(ProcurementErrorCode.MAIN_ACCOUNT_ONLY);
    return actor.unit;
  }

  private async branchesOf(uscc: string): Promise<RegistryInstitution[]> {
    return ((await this.registry.findByUscc(uscc))?.institutions ?? []).filter((i) => i.kind === 'branch');
  }
}

function specialKinds(tenant: Tenant): Map<string, string> {
  return new Map(tenant.profile.institutions.special.filter((s) => s.loginAt === 'procurement-local').map((s) => [s.id, s.name]));
}

function localView(a: ProcurementAccount): LocalAccountView {
  return {
    accountId: a.id,
    loginName: a.loginName ?? '',
    name: a.displayName,
    institutionCode: a.details.institutionCode ?? '',
    institutionKind: a.details.institutionKind ?? '',
    contactName: a.details.contactName,
    contactPhone: a.details.contactPhone,
    status: a.status,
    createdAt: a.createdAt.toISOString(),
    firstEnteredAt: a.firstEnteredAt?.toISOString(),
  };
}
