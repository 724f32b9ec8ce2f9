import { Body, Controller, Delete, Get, Header, HttpCode, Inject, Param, Post, Put, Query, Req, UseInterceptors } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { requestOrigin } from '#src/audit/audit-log.js';
import { permittedMenus } from '#src/authz/procurement-ability.js';
import { field } from '#src/identity/request-body.js';
import { abilityActor } from '#src/procurement/procurement-abilities.service.js';
import { AnyProcurementAccount, RequiresPermission, SignedInProcurementAccount, type SignedInProcurement } from '#src/procurement/procurement-permission.guard.js';
import { ProcurementRolesService, type RoleAccountView, type RoleView } from '#src/procurement/roles/procurement-roles.service.js';
import { CurrentTenant } from '#src/tenancy/current-tenant.decorator.js';
import { TenantInterceptor } from '#src/tenancy/tenant.interceptor.js';
import type { Tenant } from '#src/tenancy/tenant.js';

/** 用户基础设置 → 账号角色管理 / 账号管理 (N-6, NM-3, XZ-10, XZ-11, JL-14, JL-15): each route is one menu button. */
@ApiTags('招采子系统')
@Controller('api/v1/provinces/:province/procurement')
@UseInterceptors(TenantInterceptor)
export class ProcurementRolesController {
  constructor(@Inject(ProcurementRolesService) private readonly roles: ProcurementRolesService) {}

  @Get('menus')
  @AnyProcurementAccount()
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '本账号可用的菜单树，每个菜单带可用的按钮（N-6：注册后只有主账号拥有权限）' })
  menus(@CurrentTenant() tenant: Tenant, @SignedInProcurementAccount() signed: SignedInProcurement) {
    return permittedMenus(tenant.profile, abilityActor(tenant, signed.actor), signed.ability);
  }

  @Get('roles')
  @RequiresPermission('account-roles', 'query')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '账号角色管理：按角色名称查询（JL-14）' })
  list(@CurrentTenant() tenant: Tenant, @SignedInProcurementAccount() signed: SignedInProcurement, @Query('name') name: unknown): Promise<RoleView[]> {
    return this.roles.list(tenant, signed, typeof name === 'string' ? name : '');
  }

  @Post('roles')
  @RequiresPermission('account-roles', 'add')
  @HttpCode(201)
  @ApiOperation({ summary: '添加角色：{name, remark, permissions: {菜单: [按钮]}}（NM-3、XZ-10）' })
  create(@CurrentTenant() tenant: Tenant, @SignedInProcurementAccount() signed: SignedInProcurement, @Body() body: unknown, @Req() request: FastifyRequest): Promise<RoleView> {
    return this.roles.create(tenant, signed, body, requestOrigin(request));
  }

  @Put('roles/:roleId')
  @RequiresPermission('account-roles', 'edit')
  @ApiOperation({ summary: '修改角色的名称、备注与菜单权限（JL-14）；带 version 时拒绝覆盖他人的修改' })
  update(@CurrentTenant() tenant: Tenant, @SignedInProcurementAccount() signed: SignedInProcurement, @Param('roleId') roleId: string, @Body() body: unknown, @Req() request: FastifyRequest): Promise<RoleView> {
    return this.roles.update(tenant, signed, roleId, body, requestOrigin(request));
  }

  @Delete('roles/:roleId')
  @RequiresPermission('account-roles', 'delete')
  @HttpCode(204)
  @ApiOperation({ summary: '删除角色（JL-14）：已分配给账号时拒绝（ROLE_IN_USE）' })
  async remove(@CurrentTenant() tenant: Tenant, @SignedInProcurementAccount() signed: SignedInProcurement, @Param('roleId') roleId: string, @Req() request: FastifyRequest): Promise<void> {
    await this.roles.delete(tenant, signed, roleId, requestOrigin(request));
  }

  @Get('roles/:roleId/accounts')
  @RequiresPermission('account-roles', 'assign')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '分配账号：?tab=assigned（已分配）| unassigned（未分配）&account=登录账号（JL-14、XZ-11）' })
  accounts(@CurrentTenant() tenant: Tenant, @SignedInProcurementAccount() signed: SignedInProcurement, @Param('roleId') roleId: string, @Query('tab') tab: unknown, @Query('account') account: unknown) {
    return this.roles.accountsOf(tenant, signed, roleId, typeof tab === 'string' ? tab : 'assigned', typeof account === 'string' ? account.trim() : '');
  }

  @Put('roles/:roleId/accounts/:accountId')
  @RequiresPermission('account-roles', 'assign')
  @ApiOperation({ summary: '选择：把账号移到已分配（JL-14）；XZ-10 须审核通过且已有经办人' })
  assign(@CurrentTenant() tenant: Tenant, @SignedInProcurementAccount() signed: SignedInProcurement, @Param('roleId') roleId: string, @Param('accountId') accountId: string, @Req() request: FastifyRequest): Promise<RoleAccountView> {
    return this.roles.assign(tenant, signed, roleId, accountId, requestOrigin(request));
  }

  @Delete('roles/:roleId/accounts/:accountId')
  @RequiresPermission('account-roles', 'assign')
  @HttpCode(204)
  @ApiOperation({ summary: '删除：把账号移回未分配（JL-14）' })
  async unassign(@CurrentTenant() tenant: Tenant, @SignedInProcurementAccount() signed: SignedInProcurement, @Param('roleId') roleId: string, @Param('accountId') accountId: string, @Req() request: FastifyRequest): Promise<void> {
    await this.roles.unassign(tenant, signed, roleId, accountId, requestOrigin(request));
  }

  @Get('accounts')
  @RequiresPermission('accounts', 'query')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '账号管理：按账号名称查询（JL-15）' })
  accountList(@CurrentTenant() tenant: Tenant, @SignedInProcurementAccount() signed: SignedInProcurement, @Query('name') name: unknown): Promise<RoleAccountView[]> {
    return this.roles.accountList(tenant, signed, typeof name === 'string' ? name : '');
  }

  @Put('accounts/:accountId/role')
  @RequiresPermission('accounts', 'edit-role')
  @ApiOperation({ summary: '修改账号的角色（JL-15）：{roleId}，roleId 为空则取消角色' })
  changeRole(@CurrentTenant() tenant: Tenant, @SignedInProcurementAccount() signed: SignedInProcurement, @Param('accountId') accountId: string, @Body() body: unknown, @Req() request: FastifyRequest): Promise<RoleAccountView | { accountId: string; roleId: null }> {
    return this.roles.changeRole(tenant, signed, accountId, field(body, 'roleId'), requestOrigin(request));
  }

  @Put('accounts/:accountId/status')
  @RequiresPermission('accounts', 'toggle')
  @ApiOperation({ summary: '停用 / 启用（JL-15）：{status: disabled | active}；停用的账号会话立即结束' })
  setStatus(@CurrentTenant() tenant: Tenant, @SignedInProcurementAccount() signed: SignedInProcurement, @Param('accountId') accountId: string, @Body() body: unknown, @Req() request: FastifyRequest): Promise<RoleAccountView> {
    return this.roles.setStatus(tenant, signed, accountId, body, requestOrigin(request));
  }
}
