import { Body, Controller, Get, Header, HttpCode, Inject, Post, Req, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { requestOrigin } from '#src/audit/audit-log.js';
import { CertificationService, type HallOverview } from '#src/hall/certification.service.js';
import { HallSession, HallSessionGuard } from '#src/identity/sessions/hall-session.guard.js';
import type { LiveSession } from '#src/identity/sessions/session.service.js';
import { CurrentTenant } from '#src/tenancy/current-tenant.decorator.js';
import { TenantInterceptor } from '#src/tenancy/tenant.interceptor.js';
import type { Tenant } from '#src/tenancy/tenant.js';

/**
 * 单位网厅 (hall issue): every route works on the session's own unit — there is no unit id in the
 * path to point at another one — and needs a hall session of the route's province.
 */
@ApiTags('单位网厅')
@Controller('api/v1/provinces/:province/hall')
@UseInterceptors(TenantInterceptor)
@UseGuards(HallSessionGuard)
export class HallController {
  constructor(@Inject(CertificationService) private readonly certifications: CertificationService) {}

  @Get()
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '单位网厅：{unit, certifiedRoleTypes, certifiableRoleTypes, mustCertify, notices}' })
  overview(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession): Promise<HallOverview> {
    return this.certifications.overview(tenant, session);
  }

  @Post('certifications')
  @HttpCode(201)
  @ApiOperation({ summary: '角色认证：{roleType} → 201；只能选本省提供、且国家编码库支持的角色类型，每个账号只认证一次' })
  @ApiBody({ schema: { type: 'object', required: ['roleType'], properties: { roleType: { type: 'string', title: '角色类型' } } } })
  @ApiResponse({ status: 409, description: 'ALREADY_CERTIFIED（AH-4）' })
  @ApiResponse({ status: 403, description: 'CERTIFIER_NOT_ALLOWED（HN-9：须用主账号）' })
  certify(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Body() body: unknown, @Req() request: FastifyRequest): Promise<HallOverview> {
    return this.certifications.certify(tenant, session, body, requestOrigin(request));
  }
}
