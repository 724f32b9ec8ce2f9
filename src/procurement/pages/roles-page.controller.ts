import { Body, Controller, Get, Header, Inject, Param, Post, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/csrf-protection';
import { requestOrigin } from '#src/audit/audit-log.js';
import { menusForRoleTypes, permittedMenus, subjectOf } from '#src/authz/procurement-ability.js';
import { SignedInPages } from '#src/identity/pages/hall-page.guard.js';
import { errorsOf, formText, send, userError } from '#src/identity/pages/page-support.js';
import { asRecord } from '#src/identity/request-body.js';
import { PageRenderer } from '#src/portal/page-renderer.js';
import { HTML } from '#src/portal/portal.controller.js';
import { abilityActor } from '#src/procurement/procurement-abilities.service.js';
import { RequiresPermission, SignedInProcurementAccount, type SignedInProcurement } from '#src/procurement/procurement-permission.guard.js';
import { ProcurementRolesService } from '#src/procurement/roles/procurement-roles.service.js';
import { CurrentTenant } from '#src/tenancy/current-tenant.decorator.js';
import { TenantInterceptor } from '#src/tenancy/tenant.interceptor.js';
import type { Tenant } from '#src/tenancy/tenant.js';

/**
 * 用户基础设置 → 账号角色管理 as pages (N-6, NM-3, XZ-10, XZ-11, JL-14): the roles, 添加角色 with the
 * menu buttons the account itself holds, 删除, and 分配账号 with its 已分配 / 未分配 tabs. Each route
 * holds the same CASL button as its API route, through the same guard.
 */
@ApiExcludeController()
@Controller()
@UseInterceptors(TenantInterceptor)
@SignedInPages('procurement')
export class RolesPageController {
  constructor(
    @Inject(PageRenderer) private readonly pages: PageRenderer,
    @Inject(ProcurementRolesService) private readonly roles: ProcurementRolesService,
  ) {}

  @Get([':province/procurement/roles', 'procurement/roles'])
  @RequiresPermission('account-roles', 'query')
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async list(@CurrentTenant() tenant: Tenant, @SignedInProcurementAccount() signed: SignedInProcurement, @Query('name') name: unknown, @Res() reply: FastifyReply): Promise<void> {
    send(reply, { status: 200, html: await this.renderList(tenant, signed, reply, { name: typeof name === 'string' ? name : '' }) });
  }

  @Post([':province/procurement/roles', 'procurement/roles'])
  @RequiresPermission('account-roles', 'add')
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async create(@CurrentTenant() tenant: Tenant, @SignedInProcurementAccount() signed: SignedInProcurement, @Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const input = { name: formText(body, 'name'), remark: formText(body, 'remark'), permissions: permissionsOf(body) };
    try {
      await this.roles.create(tenant, signed, input, requestOrigin(request));
      send(reply, { redirect: `${tenant.basePath}/procurement/roles` });
    } catch (error) {
      const known = userError(error);
      if (!known) throw error;
      send(reply, { status: known.status, html: await this.renderList(tenant, signed, reply, { name: '', form: { values: input, errors: errorsOf(known).fields, alert: known.message } }) });
    }
  }

  @Post([':province/procurement/roles/:roleId/delete', 'procurement/roles/:roleId/delete'])
  @RequiresPermission('account-roles', 'delete')
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async remove(@CurrentTenant() tenant: Tenant, @SignedInProcurementAccount() signed: SignedInProcurement, @Param('roleId') roleId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    try {
      await this.roles.delete(tenant, signed, roleId, requestOrigin(request));
      send(reply, { redirect: `${tenant.basePath}/procurement/roles` });
    } catch (error) {
      const known = userError(error);
      if (!known) throw error;
      send(reply, { status: known.status, html: await this.renderList(tenant, signed, reply, { name: '', alert: known.message }) });
    }
  }

  @Get([':province/procurement/roles/:roleId/accounts', 'procurement/roles/:roleId/accounts'])
  @RequiresPermission('account-roles', 'assign')
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async accounts(@CurrentTenant() tenant: Tenant, @SignedInProcurementAccount() signed: SignedInProcurement, @Param('roleId') roleId: string, @Query('tab') tab: unknown, @Query('account') account: unknown, @Res() reply: FastifyReply): Promise<void> {
    send(reply, { status: 200, html: await this.renderAccounts(tenant, signed, reply, roleId, tab === 'unassigned' ? 'unassigned' : 'assigned', typeof account === 'string' ? account.trim() : '') });
  }

  /** 选择 (to 已分配) or 删除 (back to 未分配). */
  @Post([':province/procurement/roles/:roleId/accounts/:accountId', 'procurement/roles/:roleId/accounts/:accountId'])
  @RequiresPermission('account-roles', 'assign')
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async assign(@CurrentTenant() tenant: Tenant, @SignedInProcurementAccount() signed: SignedInProcurement, @Param('roleId') roleId: string, @Param('accountId') accountId: string, @Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const choose = formText(body, 'action') === 'choose';
    try {
      if (choose) await this.roles.assign(tenant, signed, roleId, accountId, requestOrigin(request));
      else await this.roles.unassign(tenant, signed, roleId, accountId, requestOrigin(request));
      send(reply, { redirect: `${tenant.basePath}/procurement/roles/${roleId}/accounts?tab=${choose ? 'unassigned' : 'assigned'}` });
    } catch (error) {
      const known = userError(error);
      if (!known) throw error;
      send(reply, { status: known.status, html: await this.renderAccounts(tenant, signed, reply, roleId, choose ? 'unassigned' : 'assigned', '', known.message) });
    }
  }

  private async renderList(tenant: Tenant, signed: SignedInProcurement, reply: FastifyReply, state: { name: string; alert?: string; form?: { values: { name: string; remark: string; permissions: Record<string, string[]> }; errors: Record<string, string>; alert: string } }): Promise<string> {
    const m = this.pages.messages(tenant);
    const base = tenant.basePath;
    const scope = { provinceId: tenant.provinceId, unitId: signed.actor.unit?.id };
    const can = (action: string) => signed.ability.can(action, subjectOf('account-roles', scope));
    const roles = await this.roles.list(tenant, signed, state.name);
    const chosen = state.form?.values.permissions ?? {};
    const view = {
      csrfToken: reply.generateCsrf(),
      name: state.name,
      action: `${base}/procurement/roles`,
      alert: state.alert,
      roles: roles.map((r) => ({
        ...r,
        summary: r.permissions.map((p) => `${p.title}：${p.actions.map((a) => a.title).join('、')}`).join('；') || m['procurement.roles.noPermissions'],
        accountsHref: can('assign') ? `${base}/procurement/roles/${r.roleId}/accounts` : undefined,
        deleteAction: can('delete') ? `${base}/procurement/roles/${r.roleId}/delete` : undefined,
      })),
      // Only buttons the author holds can be granted (nobody hands out more than they have).
      form: can('add')
        ? {
            values: state.form?.values ?? { name: '', remark: '' },
            errors: state.form?.errors ?? {},
            alert: state.form?.alert,
            // JL-8: a main account that does not transact still hands the business buttons to its operators.
            menus: (signed.actor.isMainAccount ? menusForRoleTypes(tenant.profile, signed.actor.roleTypes) : permittedMenus(tenant.profile, abilityActor(tenant, signed.actor), signed.ability)).flatMap((menu) =>
              menu.items.map((item) => ({ title: `${menu.title} › ${item.title}`, buttons: item.actions.map((a) => ({ id: `perm-${item.id}-${a.id}`, name: `perm.${item.id}`, value: a.id, title: a.title, checked: chosen[item.id]?.includes(a.id) ?? false })) })),
            ),
          }
        : undefined,
      homeHref: `${base}/procurement/`,
    };
    return this.pages.render({ tenant, page: 'procurement-roles', title: m['procurement.roles.title'], view, subsystem: 'procurement' });
  }

  private async renderAccounts(tenant: Tenant, signed: SignedInProcurement, reply: FastifyReply, roleId: string, tab: 'assigned' | 'unassigned', account: string, alert?: string): Promise<string> {
    const m = this.pages.messages(tenant);
    const base = tenant.basePath;
    const result = await this.roles.accountsOf(tenant, signed, roleId, tab, account);
    const role = (await this.roles.list(tenant, signed, '')).find((r) => r.roleId === roleId);
    const view = {
      csrfToken: reply.generateCsrf(),
      roleName: role?.name ?? '',
      tab,
      account,
      alert,
      tabs: (['assigned', 'unassigned'] as const).map((id) => ({ id, label: m[`procurement.roles.tab.${id}`], href: `${base}/procurement/roles/${roleId}/accounts?tab=${id}`, current: id === tab })),
      searchAction: `${base}/procurement/roles/${roleId}/accounts`,
      accounts: result.accounts.map((a) => ({ ...a, action: `${base}/procurement/roles/${roleId}/accounts/${a.accountId}`, button: tab === 'assigned' ? 'remove' : 'choose', buttonLabel: m[tab === 'assigned' ? 'procurement.roles.remove' : 'procurement.roles.choose'] })),
      notYetEntered: result.notYetEntered,
      note: result.note,
      rolesHref: `${base}/procurement/roles`,
    };
    return this.pages.render({ tenant, page: 'procurement-role-accounts', title: m['procurement.roles.accounts.title'], view, subsystem: 'procurement' });
  }
}

/** The ticked buttons of the form (`perm.<menu>` = action, possibly several), as a role stores them. */
function permissionsOf(body: unknown): Record<string, string[]> {
  const permissions: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(asRecord(body))) {
    if (!key.startsWith('perm.')) continue;
    const actions = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
    permissions[key.slice('perm.'.length)] = actions;
  }
  return permissions;
}
