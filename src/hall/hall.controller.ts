import { Body, Controller, Delete, Get, Header, HttpCode, Inject, Param, Post, Put, Req, Res, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestOrigin } from '#src/audit/audit-log.js';
import { CertificationService, type HallOverview } from '#src/hall/certification.service.js';
import { OperatorsService, type UnitOperatorView } from '#src/hall/operators.service.js';
import { UnitManagementService, type UnitManagementView } from '#src/hall/unit-management.service.js';
import { HallSession, HallSessionGuard } from '#src/identity/sessions/hall-session.guard.js';
import { clearSessionCookie } from '#src/identity/sessions/session-cookie.js';
import type { LiveSession } from '#src/identity/sessions/session.service.js';
import { CurrentTenant } from '#src/tenancy/current-tenant.decorator.js';
import { TenantInterceptor } from '#src/tenancy/tenant.interceptor.js';
import type { Tenant } from '#src/tenancy/tenant.js';
import type { SmsCodeIssued } from '#src/verification/sms-code.service.js';

/**
 * 单位网厅 (hall issue): every route works on the session's own unit — there is no unit id in the
 * path to point at another one — and needs a hall session of the route's province.
 */
@ApiTags('单位网厅')
@Controller('api/v1/provinces/:province/hall')
@UseInterceptors(TenantInterceptor)
@UseGuards(HallSessionGuard)
export class HallController {
  constructor(
    @Inject(CertificationService) private readonly certifications: CertificationService,
    @Inject(OperatorsService) private readonly operators: OperatorsService,
    @Inject(UnitManagementService) private readonly unitManagement: UnitManagementService,
  ) {}

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

  @Get('operators')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '单位经办人（JL-9）：本单位的经办人，按手机号列出；仅单位账号' })
  listOperators(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession): Promise<UnitOperatorView[]> {
    return this.operators.list(tenant, session);
  }

  @Post('operators/sms-codes')
  @HttpCode(202)
  @ApiOperation({ summary: '新增经办人第一步：向经办人手机发送验证码。NM-2 {mobile, captchaId, captcha}；XZ-8 {idType, idNumber, captchaId, captcha}，新经办人 {operator:{mobile…}, captchaId, captcha}' })
  sendAddCode(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Body() body: unknown, @Req() request: FastifyRequest): Promise<SmsCodeIssued & { phone: string }> {
    return this.operators.sendAddCode(tenant, session, body, requestOrigin(request));
  }

  @Post('operators')
  @HttpCode(201)
  @ApiOperation({ summary: '新增经办人（XZ-8、NM-2）：已注册的经办人凭手机号或证件号码 + 短信验证码绑定；未注册的（XZ-8）填写经办人信息即注册并绑定' })
  addOperator(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Body() body: unknown, @Req() request: FastifyRequest): Promise<UnitOperatorView & { registered: boolean }> {
    return this.operators.add(tenant, session, body, requestOrigin(request));
  }

  @Delete('operators/:operatorId')
  @HttpCode(204)
  @ApiOperation({ summary: '解除绑定（JL-9、HN-5）：经办人账号保留，登录时看不到本单位' })
  async unbindOperator(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Param('operatorId') operatorId: string, @Req() request: FastifyRequest): Promise<void> {
    await this.operators.unbind(tenant, session, operatorId, requestOrigin(request));
  }

  @Put('operators/:operatorId/password')
  @ApiOperation({ summary: '重置经办人密码（JL-7、JL-9）：{newPassword, confirmPassword}；该经办人的全部会话结束' })
  resetOperatorPassword(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Param('operatorId') operatorId: string, @Body() body: unknown, @Req() request: FastifyRequest): Promise<{ mobile: string; sessionsEnded: number }> {
    return this.operators.resetPassword(tenant, session, operatorId, body, requestOrigin(request));
  }

  @Put('operators/:operatorId/procurement-authorisation')
  @ApiOperation({ summary: '招采授权（JL-9）：授权后该经办人可进入招采系统，不再办理本单位医保业务' })
  authoriseProcurement(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Param('operatorId') operatorId: string, @Req() request: FastifyRequest): Promise<UnitOperatorView> {
    return this.operators.setProcurementAuthorisation(tenant, session, operatorId, true, requestOrigin(request));
  }

  @Delete('operators/:operatorId/procurement-authorisation')
  @ApiOperation({ summary: '取消招采授权（JL-9）：该经办人的招采会话在下一次请求时结束' })
  withdrawProcurement(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Param('operatorId') operatorId: string, @Req() request: FastifyRequest): Promise<UnitOperatorView> {
    return this.operators.setProcurementAuthorisation(tenant, session, operatorId, false, requestOrigin(request));
  }

  @Get('unit')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '单位管理：单位信息（XZ-9 核心系统缺少基本数据时给出提示，不影响招采业务）、能否办理业务（JL-8）与注销；仅单位账号' })
  unit(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession): Promise<UnitManagementView> {
    return this.unitManagement.view(tenant, session);
  }

  @Post('deregistration')
  @HttpCode(201)
  @ApiOperation({ summary: '注销网厅账号（JL-8）：{password, confirmation: "注销网厅账号"}；医保账户与经办人账号保留，记录留痕' })
  async deregister(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<{ operatorsUnbound: number; sessionsEnded: number }> {
    const result = await this.unitManagement.deregister(tenant, session, body, requestOrigin(request));
    clearSessionCookie(reply, tenant, 'hall');
    return result;
  }
}
