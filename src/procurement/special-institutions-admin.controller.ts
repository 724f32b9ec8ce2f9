import { Body, Controller, Get, Header, HttpCode, Inject, Post, Req, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { requestOrigin } from '#src/audit/audit-log.js';
import { AdministratorGuard, CurrentAdministrator } from '#src/administration/administrator.guard.js';
import type { AdministratorRecord } from '#src/administration/administrators.repository.js';
import type { RegistryInstitution } from '#src/national-registry/national-registry.port.js';
import { LocalAccountsService, type LocalAccountView } from '#src/procurement/local-accounts.service.js';
import { CurrentTenant } from '#src/tenancy/current-tenant.decorator.js';
import { TenantInterceptor } from '#src/tenancy/tenant.interceptor.js';
import type { Tenant } from '#src/tenancy/tenant.js';

/** AH-7: the province administrator (still active, of this province) makes the accounts of military, veterans' and prison institutions. */
@ApiTags('省级管理员')
@Controller('api/v1/provinces/:province/admin/special-institutions')
@UseInterceptors(TenantInterceptor)
@UseGuards(AdministratorGuard)
export class SpecialInstitutionsAdminController {
  constructor(@Inject(LocalAccountsService) private readonly localAccounts: LocalAccountsService) {}

  @Get()
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '特殊医疗机构（AH-7）：国家编码库中本省的部队、荣军、监狱相关医疗机构与已建账号' })
  list(@CurrentTenant() tenant: Tenant): Promise<{ institutions: Array<RegistryInstitution & { kindName: string }>; accounts: LocalAccountView[] }> {
    return this.localAccounts.specialInstitutions(tenant);
  }

  @Post()
  @HttpCode(201)
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '为特殊医疗机构建账号（AH-7）：{institutionCode, loginName} → 201，初始密码只显示这一次' })
  create(@CurrentTenant() tenant: Tenant, @CurrentAdministrator() administrator: AdministratorRecord, @Body() body: unknown, @Req() request: FastifyRequest): Promise<LocalAccountView & { password: string }> {
    return this.localAccounts.createSpecialAccount(tenant, administrator.id, body, requestOrigin(request));
  }
}
