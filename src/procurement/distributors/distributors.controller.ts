import { Body, Controller, Get, Header, HttpCode, Inject, Param, Post, Query, Req, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AdministratorGuard, CurrentAdministrator } from '#src/administration/administrator.guard.js';
import type { AdministratorRecord } from '#src/administration/administrators.repository.js';
import { requestOrigin } from '#src/audit/audit-log.js';
import { Public } from '#src/authz/public.decorator.js';
import { REGISTRATION_STATUSES, type RegistrationStatus } from '#src/procurement/distributors/distributor-registrations.repository.js';
import { DistributorRegistrationsService, type RegistrationView, type SubmittedRegistration } from '#src/procurement/distributors/distributor-registrations.service.js';
import { CurrentTenant } from '#src/tenancy/current-tenant.decorator.js';
import { TenantInterceptor } from '#src/tenancy/tenant.interceptor.js';
import type { Tenant } from '#src/tenancy/tenant.js';

const REGISTRATION_BODY = {
  type: 'object',
  required: ['unitName', 'uscc', 'contactName', 'contactMobile', 'loginName', 'password', 'confirmPassword', 'captchaId', 'captcha'],
  properties: {
    unitName: { type: 'string', title: '企业名称', maxLength: 100 },
    uscc: { type: 'string', title: '统一社会信用代码', format: 'uscc' },
    contactName: { type: 'string', title: '法定代表人/联系人', maxLength: 50 },
    contactMobile: { type: 'string', title: '联系人手机号', format: 'cn-mobile' },
    loginName: { type: 'string', title: '登录账号（以字母开头，4-32 位字母、数字或下划线）' },
    password: { type: 'string', title: '密码（本省密码规则）', format: 'password' },
    confirmPassword: { type: 'string', title: '确认密码', format: 'password' },
    captchaId: { type: 'string', title: '图形验证码编号' },
    captcha: { type: 'string', title: '图形验证码' },
  },
};

/** HN-10 用户注册: a distributor registers at the procurement subsystem itself. */
@ApiTags('招采子系统')
@Controller('api/v1/provinces/:province/procurement/distributor-registrations')
@UseInterceptors(TenantInterceptor)
export class DistributorRegistrationsController {
  constructor(@Inject(DistributorRegistrationsService) private readonly registrations: DistributorRegistrationsService) {}

  @Public()
  @Post()
  @HttpCode(201)
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '配送企业注册（HN-10）：企业信息 + 账户信息 + 图形验证码 → 201 {registrationId, reference, status: pending, message}；审核通过后在招采子系统登录页登录' })
  @ApiBody({ schema: REGISTRATION_BODY })
  @ApiResponse({ status: 400, description: 'DISTRIBUTOR_REGISTRATION_INVALID（fields）、CAPTCHA_WRONG、CAPTCHA_EXPIRED' })
  @ApiResponse({ status: 404, description: 'DISTRIBUTOR_REGISTRATION_NOT_OFFERED：本省配送企业在网上服务大厅注册' })
  @ApiResponse({ status: 409, description: 'DISTRIBUTOR_ALREADY_REGISTERED（同一信用代码已有待审核或已通过的注册）、DISTRIBUTOR_LOGIN_NAME_TAKEN' })
  @ApiResponse({ status: 422, description: 'UNIT_NOT_IN_NATIONAL_REGISTRY（N-4，附 codeMaintenance）、DISTRIBUTOR_ROLE_NOT_IN_REGISTRY' })
  register(@CurrentTenant() tenant: Tenant, @Body() body: unknown, @Req() request: FastifyRequest): Promise<SubmittedRegistration> {
    return this.registrations.register(tenant, body, requestOrigin(request));
  }
}

/** The province administrator's review of distributor registrations (HN-10). */
@ApiTags('省级管理员')
@Controller('api/v1/provinces/:province/admin/distributor-registrations')
@UseInterceptors(TenantInterceptor)
@UseGuards(AdministratorGuard)
export class AdminDistributorRegistrationsController {
  constructor(@Inject(DistributorRegistrationsService) private readonly registrations: DistributorRegistrationsService) {}

  @Get()
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '配送企业注册申请（HN-10）：?status=pending（默认）|approved|rejected|all' })
  async queue(@CurrentTenant() tenant: Tenant, @Query('status') status: unknown): Promise<{ registrations: RegistrationView[] }> {
    const wanted: RegistrationStatus | 'all' = status === 'all' ? 'all' : (REGISTRATION_STATUSES.find((s) => s === status) ?? 'pending');
    return { registrations: await this.registrations.queue(tenant, wanted) };
  }

  @Post(':registrationId/approval')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '通过：以注册的登录账号和密码建立配送企业招采账号' })
  @ApiResponse({ status: 409, description: 'DISTRIBUTOR_REGISTRATION_DECIDED、DISTRIBUTOR_LOGIN_NAME_TAKEN' })
  approve(@CurrentTenant() tenant: Tenant, @CurrentAdministrator() administrator: AdministratorRecord, @Param('registrationId') registrationId: string, @Req() request: FastifyRequest): Promise<RegistrationView> {
    return this.registrations.approve(tenant, administrator.id, registrationId, requestOrigin(request));
  }

  @Post(':registrationId/rejection')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '驳回：{reason}（必填），企业登录时可看到原因并可重新注册' })
  @ApiBody({ schema: { type: 'object', required: ['reason'], properties: { reason: { type: 'string', maxLength: 200 } } } })
  reject(@CurrentTenant() tenant: Tenant, @CurrentAdministrator() administrator: AdministratorRecord, @Param('registrationId') registrationId: string, @Body() body: unknown, @Req() request: FastifyRequest): Promise<RegistrationView> {
    return this.registrations.reject(tenant, administrator.id, registrationId, body, requestOrigin(request));
  }
}
