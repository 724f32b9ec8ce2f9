import { Body, Controller, Get, Header, Inject, Param, Post, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/csrf-protection';
import { requestOrigin } from '#src/audit/audit-log.js';
import { subjectOf } from '#src/authz/procurement-ability.js';
import { SignedInPages } from '#src/identity/pages/hall-page.guard.js';
import { formText, send, userError } from '#src/identity/pages/page-support.js';
import { PageRenderer } from '#src/portal/page-renderer.js';
import { HTML } from '#src/portal/portal.controller.js';
import { accountsDoneKindOf, accountsPageView, accountsPath, type AccountsPageState } from '#src/procurement/pages/accounts-page.view.js';
import { RequiresPermission, SignedInProcurementAccount, type SignedInProcurement } from '#src/procurement/procurement-permission.guard.js';
import { ProcurementRolesService } from '#src/procurement/roles/procurement-roles.service.js';
import { CurrentTenant } from '#src/tenancy/current-tenant.decorator.js';
import { TenantInterceptor } from '#src/tenancy/tenant.interceptor.js';
import type { Tenant } from '#src/tenancy/tenant.js';

type PageState = Pick<AccountsPageState, 'alert' | 'done' | 'disable'> & { name?: string };

/**
 * 用户基础设置 → 账号管理 (JL-15) as pages: 查询 by login account or name, 修改角色, 停用 (after a
 * confirm step: the account's sessions end at once) / 启用. Each route holds the same menu button as
 * its API route through the same guard, so a page without it gets the API's refusal (403); without
 * a procurement session, the procurement login. Forms post and come back with a 303 and a notice.
 */
@ApiExcludeController()
@Controller()
@UseInterceptors(TenantInterceptor)
@SignedInPages('procurement')
export class AccountsPageController {
  constructor(
    @Inject(PageRenderer) private readonly pages: PageRenderer,
    @Inject(ProcurementRolesService) private readonly roles: ProcurementRolesService,
  ) {}

  @Get([':province/procurement/accounts', 'procurement/accounts'])
  @RequiresPermission('accounts', 'query')
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async list(@CurrentTenant() tenant: Tenant, @SignedInProcurementAccount() signed: SignedInProcurement, @Query() query: Record<string, unknown>, @Res() reply: FastifyReply): Promise<void> {
    const q = (name: string) => (typeof query[name] === 'string' ? query[name] : '');
    const kind = accountsDoneKindOf(q('done'));
    const state: PageState = { name: q('name'), done: kind && { kind, accountId: q('account') }, disable: q('disable') ? { accountId: q('disable') } : undefined };
    await this.render(tenant, signed, reply, 200, state);
  }

  /** 修改角色: the select's role, or none. */
  @Post([':province/procurement/accounts/:accountId/role', 'procurement/accounts/:accountId/role'])
  @RequiresPermission('accounts', 'edit-role')
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async changeRole(@CurrentTenant() tenant: Tenant, @SignedInProcurementAccount() signed: SignedInProcurement, @Param('accountId') accountId: string, @Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.act(tenant, signed, reply, 'role', accountId, () => this.roles.changeRole(tenant, signed, accountId, formText(body, 'roleId'), requestOrigin(request)));
  }

  /** 停用 (only with the confirm step's `confirm=yes`) / 启用. */
  @Post([':province/procurement/accounts/:accountId/status', 'procurement/accounts/:accountId/status'])
  @RequiresPermission('accounts', 'toggle')
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async setStatus(@CurrentTenant() tenant: Tenant, @SignedInProcurementAccount() signed: SignedInProcurement, @Param('accountId') accountId: string, @Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const status = formText(body, 'status');
    if (status === 'disabled' && formText(body, 'confirm') !== 'yes') {
      await this.render(tenant, signed, reply, 400, { disable: { accountId, alert: this.pages.messages(tenant)['procurement.accounts.disableConfirmRequired'] } });
      return;
    }
    await this.act(tenant, signed, reply, status === 'disabled' ? 'disabled' : 'enabled', accountId, () => this.roles.setStatus(tenant, signed, accountId, { status }, requestOrigin(request)));
  }

  /** Runs a row's change: 303 back with what was done, or the page again with the service's refusal. */
  private async act(tenant: Tenant, signed: SignedInProcurement, reply: FastifyReply, done: NonNullable<PageState['done']>['kind'], accountId: string, change: () => Promise<unknown>): Promise<void> {
    try {
      await change();
      send(reply, { redirect: `${accountsPath(tenant.basePath)}?done=${done}&account=${encodeURIComponent(accountId)}` });
    } catch (error) {
      const known = userError(error);
      if (!known) throw error;
      await this.render(tenant, signed, reply, known.status, { alert: known.message });
    }
  }

  private async render(tenant: Tenant, signed: SignedInProcurement, reply: FastifyReply, status: number, state: PageState): Promise<void> {
    const m = this.pages.messages(tenant);
    const scope = { provinceId: tenant.provinceId, unitId: signed.actor.unit?.id };
    const can = (action: string) => signed.ability.can(action, subjectOf('accounts', scope));
    const name = state.name ?? '';
    const view = accountsPageView(
      tenant.profile,
      tenant.basePath,
      signed.actor,
      {
        ...state,
        csrfToken: reply.generateCsrf(),
        name,
        accounts: await this.roles.accountList(tenant, signed, name),
        roles: can('edit-role') ? await this.roles.roleChoices(signed) : [],
        can: { editRole: can('edit-role'), toggle: can('toggle') },
      },
      m,
    );
    send(reply, { status, html: this.pages.render({ tenant, page: 'procurement-accounts', title: m['procurement.accounts.title'], view, subsystem: 'procurement' }) });
  }
}
