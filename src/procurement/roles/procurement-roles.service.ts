import { Inject, Injectable } from '@nestjs/common';
import { AuditLog, type RequestOrigin } from '#src/audit/audit-log.js';
import { menusForRoleTypes, scopeWhere, subjectOf, type MenuPermissions } from '#src/authz/procurement-ability.js';
import { CLOCK, type Clock } from '#src/clock/clock.js';
import { isUniqueViolation } from '#src/database/postgres-errors.js';
import { AccountsRepository } from '#src/identity/accounts.repository.js';
import { asRecord, isStorableText, text } from '#src/identity/request-body.js';
import { SessionService } from '#src/identity/sessions/session.service.js';
import type { SignedInProcurement } from '#src/procurement/procurement-permission.guard.js';
import { procurementException, ProcurementErrorCode } from '#src/procurement/procurement.exception.js';
import { ProcurementRolesRepository, type RoleAccountRow, type RoleRecord } from '#src/procurement/roles/procurement-roles.repository.js';
import type { Tenant } from '#src/tenancy/tenant.js';

export interface RoleView {
  roleId: string;
  name: string;
  remark: string;
  permissions: Array<{ menu: string; title: string; actions: Array<{ id: string; title: string }> }>;
  version: number;
  assignedCount: number;
  updatedAt: string;
}

export interface RoleAccountView {
  accountId: string;
  kind: string;
  account: string;
  name: string;
  roleId?: string | undefined;
  roleName?: string | undefined;
  status: string;
  firstEnteredAt?: string | undefined;
}

const NAME_MAX = 30;
const REMARK_MAX = 200;

/**
 * 账号角色管理 (N-6, NM-3, XZ-10, XZ-11, JL-14) and 账号管理 (JL-15) of a unit, for the accounts whose
 * role grants the buttons (the guard checks them; the main account holds all). A role can grant only
 * the menus of the unit's role types and only buttons its author holds, so nobody hands out more
 * than they have.
 */
@Injectable()
export class ProcurementRolesService {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ProcurementRolesRepository) private readonly roles: ProcurementRolesRepository,
    @Inject(AccountsRepository) private readonly accounts: AccountsRepository,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  /** 查询 by name (JL-14): the SQL takes the ability's own scope. */
  async list(tenant: Tenant, signed: SignedInProcurement, name: string): Promise<RoleView[]> {
    const scope = scopeWhere(signed.ability, 'query', 'account-roles', { provinceId: 'r.province_id', unitId: 'r.unit_id' }, 1);
    if (!scope) return [];
    return (await this.roles.list(scope, name.trim())).map((r) => this.view(tenant, signed, r));
  }

  async create(tenant: Tenant, signed: SignedInProcurement, body: unknown, origin: RequestOrigin): Promise<RoleView> {
    // HN-10: a distributor's unit is its approved registration, not a hall unit; it has no operators to give roles to.
    if (signed.actor.kind === 'distributor') throw procurementException(ProcurementErrorCode.DISTRIBUTOR_ROLES_NOT_NEEDED);
    const unitId = unitOf(signed);
    const input = this.readRole(tenant, signed, body);
    let roleId: string;
    try {
      roleId = await this.roles.insert(tenant.provinceId, unitId, { ...input, createdBy: signed.actor.accountId }, this.clock.now());
    } catch (error) {
      if (isUniqueViolation(error)) throw procurementException(ProcurementErrorCode.ROLE_NAME_TAKEN, undefined, { name: '本单位已有同名角色' });
      throw error;
    }
    await this.record(tenant, signed, origin, 'procurement.role-created', { roleId, name: input.name, permissions: input.permissions });
    return this.view(tenant, signed, await this.mustFind(tenant, signed, roleId));
  }

  /** 修改 (JL-14): name, remark and permissions; `version` (optional) refuses a change made over someone else's. */
  async update(tenant: Tenant, signed: SignedInProcurement, roleId: string, body: unknown, origin: RequestOrigin): Promise<RoleView> {
    const before = await this.mustFind(tenant, signed, roleId);
    const input = this.readRole(tenant, signed, body);
    const version = asRecord(body).version;
    let applied: boolean;
    try {
      applied = await this.roles.update(tenant.provinceId, before.unitId, roleId, input, typeof version === 'number' ? version : undefined, this.clock.now());
    } catch (error) {
      if (isUniqueViolation(error)) throw procurementException(ProcurementErrorCode.ROLE_NAME_TAKEN, undefined, { name: '本单位已有同名角色' });
      throw error;
    }
    if (!applied) throw procurementException(ProcurementErrorCode.ROLE_CHANGED);
    await this.record(tenant, signed, origin, 'procurement.role-updated', { roleId, before: { name: before.name, permissions: before.permissions }, after: { name: input.name, permissions: input.permissions } });
    return this.view(tenant, signed, await this.mustFind(tenant, signed, roleId));
  }

  /** 删除 (JL-14): refused while any account holds the role (ROLE_IN_USE says so). */
  async delete(tenant: Tenant, signed: SignedInProcurement, roleId: string, origin: RequestOrigin): Promise<void> {
    const outcome = await this.roles.delete(tenant.provinceId, unitOf(signed), roleId);
    if (outcome === 'missing') throw procurementException(ProcurementErrorCode.ROLE_NOT_FOUND);
    if (outcome === 'in-use') throw procurementException(ProcurementErrorCode.ROLE_IN_USE);
    await this.record(tenant, signed, origin, 'procurement.role-deleted', { roleId });
  }

  /**
   * 分配账号 (JL-14): 已分配 (this role's accounts) or 未分配 (the unit's accounts holding none), by
   * login account. Operators appear once they entered procurement (XZ-11); `notYetEntered` lists the
   * hall's operators who have not, where the province says they must first (Tibet).
   */
  async accountsOf(tenant: Tenant, signed: SignedInProcurement, roleId: string, tab: string, account: string): Promise<{ tab: 'assigned' | 'unassigned'; accounts: RoleAccountView[]; notYetEntered?: Array<{ mobile: string; name: string }> | undefined; note?: string | undefined }> {
    const role = await this.mustFind(tenant, signed, roleId);
    const unassigned = tab === 'unassigned';
    const rows = await this.roles.accounts(tenant.provinceId, role.unitId, unassigned ? { unassigned: true, account } : { roleId, account });
    const rule = tenant.profile.operators.firstProcurementLoginBeforeRoles;
    const notYetEntered = unassigned && rule.enabled ? await this.notYetEntered(tenant, role.unitId) : undefined;
    return { tab: unassigned ? 'unassigned' : 'assigned', accounts: rows.map(accountView), notYetEntered, note: unassigned && rule.enabled ? rule.note : undefined };
  }

  /** 选择 on 未分配 (JL-14), or 修改角色 in 账号管理 (JL-15): the account now holds this role. */
  async assign(tenant: Tenant, signed: SignedInProcurement, roleId: string, accountId: string, origin: RequestOrigin): Promise<RoleAccountView> {
    const role = await this.mustFind(tenant, signed, roleId);
    const account = await this.assignable(tenant, signed, accountId);
    await this.assertRolesOpen(tenant, role.unitId);
    await this.roles.assign(tenant.provinceId, role.unitId, account.accountId, roleId, this.clock.now());
    await this.record(tenant, signed, origin, 'procurement.role-assigned', { roleId, accountId, previousRoleId: account.roleId });
    return accountView((await this.roles.account(tenant.provinceId, role.unitId, accountId)) ?? account);
  }

  /** 删除 on 已分配 (JL-14): back to 未分配. */
  async unassign(tenant: Tenant, signed: SignedInProcurement, roleId: string | undefined, accountId: string, origin: RequestOrigin): Promise<void> {
    const account = await this.assignable(tenant, signed, accountId);
    if (!(await this.roles.unassign(tenant.provinceId, unitOf(signed), account.accountId, roleId))) throw procurementException(ProcurementErrorCode.ACCOUNT_NOT_FOUND, '该账号未分配此角色');
    await this.record(tenant, signed, origin, 'procurement.role-unassigned', { roleId: roleId ?? account.roleId, accountId });
  }

  /** 修改角色 in 账号管理 (JL-15): the role chosen, or none when `roleId` is empty. */
  async changeRole(tenant: Tenant, signed: SignedInProcurement, accountId: string, roleId: string, origin: RequestOrigin): Promise<RoleAccountView | { accountId: string; roleId: null }> {
    if (roleId) return this.assign(tenant, signed, roleId, accountId, origin);
    await this.unassign(tenant, signed, undefined, accountId, origin);
    return { accountId, roleId: null };
  }

  /** The roles 修改角色 may choose from: the unit's, by the same CASL rules as the button (JL-15). */
  async roleChoices(signed: SignedInProcurement): Promise<Array<{ roleId: string; name: string }>> {
    const scope = scopeWhere(signed.ability, 'edit-role', 'accounts', { provinceId: 'r.province_id', unitId: 'r.unit_id' }, 1);
    if (!scope) return [];
    return (await this.roles.list(scope, '')).map((r) => ({ roleId: r.id, name: r.name }));
  }

  /** 账号管理 查询 (JL-15), by account name. */
  async accountList(tenant: Tenant, signed: SignedInProcurement, name: string): Promise<RoleAccountView[]> {
    return (await this.roles.accounts(tenant.provinceId, unitOf(signed), { account: name.trim() || undefined })).map(accountView);
  }

  /** 停用 / 启用 (JL-15): a disabled account's sessions end at once. */
  async setStatus(tenant: Tenant, signed: SignedInProcurement, accountId: string, body: unknown, origin: RequestOrigin): Promise<RoleAccountView> {
    const status = text(asRecord(body).status);
    if (status !== 'active' && status !== 'disabled') throw procurementException(ProcurementErrorCode.ROLE_INVALID, '请指定 active（启用）或 disabled（停用）', { status: '请选择启用或停用' });
    const account = await this.assignable(tenant, signed, accountId);
    if (!(await this.roles.setStatus(tenant.provinceId, unitOf(signed), account.accountId, status, this.clock.now()))) throw procurementException(ProcurementErrorCode.ACCOUNT_NOT_FOUND);
    const sessionsEnded = status === 'disabled' ? await this.sessions.endAllOf('procurement-account', account.accountId) : 0;
    await this.record(tenant, signed, origin, status === 'disabled' ? 'procurement.account-disabled' : 'procurement.account-enabled', { accountId, sessionsEnded });
    return accountView((await this.roles.account(tenant.provinceId, unitOf(signed), accountId)) ?? account);
  }

  private readRole(tenant: Tenant, signed: SignedInProcurement, body: unknown): { name: string; remark: string; permissions: MenuPermissions } {
    const value = asRecord(body);
    const fields: Record<string, string> = {};
    const name = text(value.name).trim();
    if (!name || name.length > NAME_MAX || !isStorableText(name)) fields.name = `请输入角色名称（${String(NAME_MAX)} 字以内）`;
    const remark = text(value.remark).trim();
    if (remark.length > REMARK_MAX || !isStorableText(remark)) fields.remark = `备注不超过 ${String(REMARK_MAX)} 字`;
    const permissions: Record<string, string[]> = {};
    const offered = new Map(menusForRoleTypes(tenant.profile, signed.actor.roleTypes).flatMap((m) => m.items).map((item) => [item.id, new Set(item.actions.map((a) => a.id))]));
    const scope = { provinceId: tenant.provinceId, unitId: signed.actor.unit?.id };
    for (const [menu, actions] of Object.entries(asRecord(value.permissions))) {
      const buttons = offered.get(menu);
      const list = Array.isArray(actions) ? actions.filter((a): a is string => typeof a === 'string') : [];
      if (!buttons || list.some((a) => !buttons.has(a))) fields[`permissions.${menu}`] = '本单位的角色类型没有该菜单或按钮';
      // JL-8: a main account that does not transact holds no business buttons yet hands them to its operators.
      else if (!signed.actor.isMainAccount && list.some((a) => !signed.ability.can(a, subjectOf(menu, scope)))) fields[`permissions.${menu}`] = '不能授予自己没有的权限';
      else if (list.length > 0) permissions[menu] = [...new Set(list)];
    }
    if (Object.keys(fields).length > 0) throw procurementException(ProcurementErrorCode.ROLE_INVALID, undefined, fields);
    return { name, remark, permissions };
  }

  private async mustFind(tenant: Tenant, signed: SignedInProcurement, roleId: string): Promise<RoleRecord> {
    const role = await this.roles.byId(tenant.provinceId, unitOf(signed), roleId);
    if (!role) throw procurementException(ProcurementErrorCode.ROLE_NOT_FOUND);
    return role;
  }

  /** An operator or sub-account of the caller's unit — never the main account, nor the caller itself. */
  private async assignable(tenant: Tenant, signed: SignedInProcurement, accountId: string): Promise<RoleAccountRow> {
    const account = await this.roles.account(tenant.provinceId, unitOf(signed), accountId);
    if (!account) {
      if (accountId === signed.actor.accountId) throw procurementException(ProcurementErrorCode.ACCOUNT_NOT_ASSIGNABLE);
      throw procurementException(ProcurementErrorCode.ACCOUNT_NOT_FOUND);
    }
    if (account.accountId === signed.actor.accountId) throw procurementException(ProcurementErrorCode.ACCOUNT_NOT_ASSIGNABLE, '不能为自己的账号分配角色或停用');
    return account;
  }

  /** XZ-10: permissions only once the unit account is approved and operators were added. */
  private async assertRolesOpen(tenant: Tenant, unitId: string): Promise<void> {
    const rule = tenant.profile.operators.rolesOnlyAfterApproval;
    if (!rule.enabled) return;
    if ((await this.accounts.operatorsOfUnit(tenant.provinceId, unitId)).length === 0) throw procurementException(ProcurementErrorCode.ROLES_NOT_YET, rule.note);
  }

  private async notYetEntered(tenant: Tenant, unitId: string): Promise<Array<{ mobile: string; name: string }>> {
    const entered = new Set((await this.roles.accounts(tenant.provinceId, unitId, {})).map((a) => a.login));
    return (await this.accounts.operatorsOfUnit(tenant.provinceId, unitId)).filter((o) => !entered.has(o.mobile)).map((o) => ({ mobile: o.mobile, name: o.name }));
  }

  private view(tenant: Tenant, signed: SignedInProcurement, role: RoleRecord): RoleView {
    const items = new Map(menusForRoleTypes(tenant.profile, signed.actor.roleTypes).flatMap((m) => m.items).map((item) => [item.id, item]));
    return {
      roleId: role.id,
      name: role.name,
      remark: role.remark,
      permissions: Object.entries(role.permissions).map(([menu, actions]) => {
        const item = items.get(menu);
        return { menu, title: item?.title ?? menu, actions: actions.map((a) => ({ id: a, title: item?.actions.find((x) => x.id === a)?.title ?? a })) };
      }),
      version: role.version,
      assignedCount: role.assignedCount,
      updatedAt: role.updatedAt.toISOString(),
    };
  }

  private async record(tenant: Tenant, signed: SignedInProcurement, origin: RequestOrigin, kind: string, detail: Record<string, unknown>): Promise<void> {
    await this.audit.record(tenant.provinceId, origin, { kind, outcome: 'success', actorKind: 'procurement-account', actorId: signed.actor.accountId, unitId: signed.actor.unit?.id, account: signed.actor.account, detail });
  }
}

/** Roles belong to a unit: an account of none (AH-7) has no roles to manage, and the guard already refused it. */
function unitOf(signed: SignedInProcurement): string {
  const unitId = signed.actor.unit?.id;
  if (!unitId) throw procurementException(ProcurementErrorCode.PERMISSION_DENIED);
  return unitId;
}

function accountView(a: RoleAccountRow): RoleAccountView {
  return { accountId: a.accountId, kind: a.kind, account: a.login, name: a.name, roleId: a.roleId, roleName: a.roleName, status: a.status, firstEnteredAt: a.firstEnteredAt?.toISOString() };
}
