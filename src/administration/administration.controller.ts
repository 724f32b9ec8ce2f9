import { Controller, Get, Header, Inject, Param, Query, Req, Res, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestOrigin } from '#src/audit/audit-log.js';
import { administratorView, type AdministratorView } from '#src/administration/admin-session.controller.js';
import { AdministratorGuard, CurrentAdministrator } from '#src/administration/administrator.guard.js';
import type { AdministratorRecord } from '#src/administration/administrators.repository.js';
import { beijingTime, parseAuditQuery, type AuditQueryInput } from '#src/administration/audit-query.js';
import { AuditTrailService, type AuditPage } from '#src/administration/audit-trail.service.js';
import type { ProvinceCounts } from '#src/administration/directory.repository.js';
import { DirectoryService, type AdminCertificationView, type AdminOperatorView, type AdminUnitDetail, type AdminUnitView, type DirectoryInput, type Paged } from '#src/administration/directory.service.js';
import { CLOCK, type Clock } from '#src/clock/clock.js';
import { CurrentTenant } from '#src/tenancy/current-tenant.decorator.js';
import { TenantInterceptor } from '#src/tenancy/tenant.interceptor.js';
import type { Tenant } from '#src/tenancy/tenant.js';

const AUDIT_FILTER_DOC = [
  { name: 'unit', required: false, description: '单位：统一社会信用代码或单位编号' },
  { name: 'actor', required: false, description: '操作人：账号（单位账号、经办人手机号、管理员账号）或操作人编号' },
  { name: 'kind', required: false, description: '事件类型前缀，如 operator. 或 login.failed' },
  { name: 'outcome', required: false, description: 'success 或 failure' },
  { name: 'from', required: false, description: '起始时间（含），带时区的 ISO 8601，如 2025-11-30T08:00:00+08:00' },
  { name: 'to', required: false, description: '结束时间（含），带时区的 ISO 8601' },
] as const;

/**
 * What a province administrator reads of their own province: units, operators, certifications and
 * the audit trail. The province is the route's, the session must be of that province (another
 * province's cookie is no session here), and every query is filtered by it in SQL.
 */
@ApiTags('省级管理员：本省单位、经办人、认证与操作日志')
@Controller('api/v1/provinces/:province/admin')
@UseInterceptors(TenantInterceptor)
@UseGuards(AdministratorGuard)
export class AdministrationController {
  constructor(
    @Inject(DirectoryService) private readonly directory: DirectoryService,
    @Inject(AuditTrailService) private readonly trail: AuditTrailService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('overview')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '管理概览：{administrator, counts:{units, activeUnits, certifiedUnits, boundOperators, failuresLast24h}}' })
  async overview(@CurrentTenant() tenant: Tenant, @CurrentAdministrator() administrator: AdministratorRecord): Promise<{ administrator: AdministratorView; counts: ProvinceCounts }> {
    return { administrator: administratorView(tenant, administrator), counts: await this.directory.counts(tenant) };
  }

  @Get('units')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '本省单位（每页 20 条，最新注册在前）：单位名称、统一社会信用代码、单位账号、状态、注册时间、已认证角色' })
  @ApiQuery({ name: 'q', required: false, description: '单位名称的一部分、信用代码开头或单位账号' })
  @ApiQuery({ name: 'page', required: false, description: '页码，从 1 开始' })
  units(@CurrentTenant() tenant: Tenant, @Query() query: DirectoryInput): Promise<Paged<AdminUnitView>> {
    return this.directory.units(tenant, query);
  }

  @Get('units/:unitId')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '本省一个单位：基本信息、角色认证、经办人；其他省份的单位为 404' })
  unit(@CurrentTenant() tenant: Tenant, @Param('unitId') unitId: string): Promise<AdminUnitDetail> {
    return this.directory.unit(tenant, unitId);
  }

  @Get('operators')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '本省单位的经办人（每页 20 条）：手机号脱敏显示，可按完整手机号查询' })
  @ApiQuery({ name: 'q', required: false, description: '经办人或单位名称的一部分、信用代码开头，或完整手机号' })
  @ApiQuery({ name: 'state', required: false, description: 'bound（已绑定）或 unbound（已解除绑定）' })
  @ApiQuery({ name: 'page', required: false })
  operators(@CurrentTenant() tenant: Tenant, @Query() query: DirectoryInput): Promise<Paged<AdminOperatorView>> {
    return this.directory.operators(tenant, query);
  }

  @Get('certifications')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '本省的角色认证（每页 20 条，最新在前）' })
  @ApiQuery({ name: 'q', required: false, description: '单位名称的一部分或信用代码开头' })
  @ApiQuery({ name: 'roleType', required: false, description: '角色类型标识，如 manufacturer' })
  @ApiQuery({ name: 'page', required: false })
  certifications(@CurrentTenant() tenant: Tenant, @Query() query: DirectoryInput): Promise<Paged<AdminCertificationView>> {
    return this.directory.certifications(tenant, query);
  }

  @Get('audit-events')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '本省操作日志（最新在前，按 cursor 翻页）：{events, nextCursor}' })
  @ApiQuery(AUDIT_FILTER_DOC[0])
  @ApiQuery(AUDIT_FILTER_DOC[1])
  @ApiQuery(AUDIT_FILTER_DOC[2])
  @ApiQuery(AUDIT_FILTER_DOC[3])
  @ApiQuery(AUDIT_FILTER_DOC[4])
  @ApiQuery(AUDIT_FILTER_DOC[5])
  @ApiQuery({ name: 'cursor', required: false, description: '上一页返回的 nextCursor' })
  @ApiQuery({ name: 'limit', required: false, description: '每页条数 1-200，默认 50' })
  auditEvents(@CurrentTenant() tenant: Tenant, @Query() query: AuditQueryInput): Promise<AuditPage> {
    return this.trail.page(tenant, parseAuditQuery(query, 'iso'));
  }

  @Get('audit-events.csv')
  @ApiOperation({ summary: '按同样条件下载本省操作日志 CSV（UTF-8 带 BOM，可直接用 Excel 打开）' })
  @ApiProduces('text/csv')
  @ApiQuery(AUDIT_FILTER_DOC[0])
  @ApiQuery(AUDIT_FILTER_DOC[1])
  @ApiQuery(AUDIT_FILTER_DOC[2])
  @ApiQuery(AUDIT_FILTER_DOC[3])
  @ApiQuery(AUDIT_FILTER_DOC[4])
  @ApiQuery(AUDIT_FILTER_DOC[5])
  async auditCsv(@CurrentTenant() tenant: Tenant, @CurrentAdministrator() administrator: AdministratorRecord, @Query() query: AuditQueryInput, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const parsed = parseAuditQuery({ ...query, cursor: undefined, limit: undefined }, 'iso');
    const stream = await this.trail.csv(tenant, parsed, administrator, requestOrigin(request));
    const stamp = beijingTime(this.clock.now()).replace(/[-: ]/g, '').slice(0, 12);
    const name = `audit-${tenant.provinceId}-${stamp}.csv`;
    void reply
      .header('cache-control', 'no-store')
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(`${tenant.profile.name}操作日志-${stamp}.csv`)}`)
      .send(stream);
  }
}
