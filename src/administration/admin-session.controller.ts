import { Body, Controller, Delete, Get, Header, HttpCode, Inject, Post, Req, Res, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestOrigin } from '#src/audit/audit-log.js';
import { Public } from '#src/authz/public.decorator.js';
import { AdminSessionGuard } from '#src/administration/admin-session.guard.js';
import { AdminSignInService } from '#src/administration/admin-sign-in.service.js';
import { AdministratorGuard, CurrentAdministrator } from '#src/administration/administrator.guard.js';
import type { AdministratorRecord } from '#src/administration/administrators.repository.js';
import { HallSession } from '#src/identity/sessions/hall-session.guard.js';
import { clearSessionCookie, setSessionCookie } from '#src/identity/sessions/session-cookie.js';
import { sessionCookieName, type LiveSession } from '#src/identity/sessions/session.service.js';
import { CurrentTenant } from '#src/tenancy/current-tenant.decorator.js';
import { TenantInterceptor } from '#src/tenancy/tenant.interceptor.js';
import type { Tenant } from '#src/tenancy/tenant.js';

export interface AdministratorView {
  id: string;
  account: string;
  displayName: string | null;
  province: { id: string; name: string };
}

export function administratorView(tenant: Tenant, administrator: AdministratorRecord): AdministratorView {
  return { id: administrator.id, account: administrator.accountName, displayName: administrator.displayName, province: { id: tenant.provinceId, name: tenant.profile.name } };
}

const SIGN_IN_BODY = {
  type: 'object',
  required: ['account', 'password', 'captchaId', 'captcha'],
  properties: {
    account: { type: 'string', title: '管理员账号' },
    password: { type: 'string', format: 'password', title: '密码' },
    captchaId: { type: 'string', title: '图形验证码编号（GET …/captcha）' },
    captcha: { type: 'string', title: '图形验证码' },
  },
};

/** Province administrators' sessions: a realm and a cookie of their own (pe_admin_{id}), per province. */
@ApiTags('省级管理员：登录与会话')
@Controller('api/v1/provinces/:province/admin/session')
@UseInterceptors(TenantInterceptor)
export class AdminSessionController {
  constructor(@Inject(AdminSignInService) private readonly signIn: AdminSignInService) {}

  @Public()
  @Post()
  @HttpCode(201)
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '省级管理员登录：{account, password, captchaId, captcha} → 201 {administrator} 并设置管理员会话 Cookie（pe_admin_{省份}）' })
  @ApiBody({ schema: SIGN_IN_BODY })
  @ApiResponse({ status: 401, description: 'ADMIN_INVALID_CREDENTIALS：账号不存在与密码错误答复相同' })
  @ApiResponse({ status: 429, description: 'LOGIN_LOCKED：失败次数过多，Retry-After 为需等待的秒数' })
  async open(@CurrentTenant() tenant: Tenant, @Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<{ administrator: AdministratorView }> {
    const { opened, administrator } = await this.signIn.signIn(tenant, body, requestOrigin(request), request.cookies[sessionCookieName('admin', tenant.provinceId)]);
    setSessionCookie(reply, tenant, opened);
    return { administrator: administratorView(tenant, administrator) };
  }

  @UseGuards(AdministratorGuard)
  @Get()
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '当前登录的省级管理员；未登录 401' })
  current(@CurrentTenant() tenant: Tenant, @CurrentAdministrator() administrator: AdministratorRecord): { administrator: AdministratorView } {
    return { administrator: administratorView(tenant, administrator) };
  }

  // The session alone: an administrator disabled meanwhile can still end it.
  @UseGuards(AdminSessionGuard)
  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: '省级管理员退出登录 → 204' })
  async close(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    await this.signIn.signOut(session, requestOrigin(request));
    clearSessionCookie(reply, tenant, 'admin');
  }
}
