import { Body, Controller, Delete, Get, Header, Headers, HttpCode, Inject, Param, Post, Put, Req, Res, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestOrigin } from '#src/audit/audit-log.js';
import { Public } from '#src/authz/public.decorator.js';
import { LoginService, offeredMethod } from '#src/identity/login/login.service.js';
import { QrLoginService, type IssuedQrTicket, type QrTicketStatus } from '#src/identity/login/qr-login.service.js';
import { field } from '#src/identity/request-body.js';
import { RecoveryService, type UnitAccountLookup } from '#src/identity/recovery/recovery.service.js';
import { registrationFormSchema, type RegistrationFormSchema } from '#src/identity/registration/registration-form.js';
import { RegistrationService, type RegistrationResult } from '#src/identity/registration/registration.service.js';
import { HallSession, HallSessionGuard } from '#src/identity/sessions/hall-session.guard.js';
import { clearSessionCookie, setSessionCookie } from '#src/identity/sessions/session-cookie.js';
import { sessionCookieName, SessionService, type LiveSession } from '#src/identity/sessions/session.service.js';
import { SignedInActorService, type SignedInActor } from '#src/identity/sessions/signed-in-actor.service.js';
import { CurrentTenant } from '#src/tenancy/current-tenant.decorator.js';
import { TenantInterceptor } from '#src/tenancy/tenant.interceptor.js';
import type { Tenant } from '#src/tenancy/tenant.js';
import type { SmsCodeIssued } from '#src/verification/sms-code.service.js';

const LOGIN_BODY = {
  type: 'object',
  required: ['method'],
  properties: {
    method: { type: 'string', enum: ['password', 'credit-code', 'qr', 'ca'], title: '登录方式' },
    account: { type: 'string', title: '账号：单位账号、经办人手机号，或统一社会信用代码（credit-code）' },
    password: { type: 'string', format: 'password', title: '密码' },
    captchaId: { type: 'string', title: '图形验证码编号' },
    captcha: { type: 'string', title: '图形验证码' },
    ticketId: { type: 'string', title: '扫码登录票据（qr）' },
    pollToken: { type: 'string', title: '扫码登录轮询令牌（qr）' },
  },
};

/**
 * The hall's front door (identity issue): registration, login, the session, QR login, recovery.
 * Everything before login is public (captchas, SMS codes and lockouts gate it); the session routes
 * need a hall session of the same province.
 */
@ApiTags('身份：注册、登录、会话、找回密码')
@Controller('api/v1/provinces/:province')
@UseInterceptors(TenantInterceptor)
export class IdentityController {
  constructor(
    @Inject(RegistrationService) private readonly registrations: RegistrationService,
    @Inject(LoginService) private readonly logins: LoginService,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(SignedInActorService) private readonly actors: SignedInActorService,
    @Inject(QrLoginService) private readonly qr: QrLoginService,
    @Inject(RecoveryService) private readonly recovery: RecoveryService,
  ) {}

  @Public()
  @Get('registration-form')
  @ApiOperation({ summary: '注册表单：按本省配置生成的注册请求体 JSON Schema（中文标题，格式 uscc、cn-id-number、cn-mobile、date、password）' })
  registrationForm(@CurrentTenant() tenant: Tenant): RegistrationFormSchema {
    return registrationFormSchema(tenant.profile);
  }

  @Public()
  @Post('registrations')
  @HttpCode(201)
  @ApiOperation({ summary: '单位注册：{unit, operator, smsCode[, captchaId, captcha]} → 201 {unitAccount, operatorAccount}；一次事务创建单位账号与第一个经办人' })
  @ApiResponse({ status: 400, description: 'REGISTRATION_INVALID：fields 中逐项给出中文提示' })
  @ApiResponse({ status: 409, description: 'UNIT_ALREADY_REGISTERED、UNIT_ACCOUNT_TAKEN、OPERATOR_PASSWORD_MISMATCH' })
  @ApiResponse({ status: 422, description: 'UNIT_NOT_IN_NATIONAL_REGISTRY：附动态维护平台链接' })
  register(@CurrentTenant() tenant: Tenant, @Body() body: unknown, @Req() request: FastifyRequest): Promise<RegistrationResult> {
    return this.registrations.register(tenant, body, requestOrigin(request));
  }

  @Public()
  @Post('sessions')
  @HttpCode(201)
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '登录：password（账号/手机号+密码+图形验证码）、credit-code（统一社会信用代码登录）、qr（扫码）→ 201 {actor} 并设置网厅会话 Cookie' })
  @ApiBody({ schema: LOGIN_BODY })
  @ApiResponse({ status: 401, description: 'INVALID_CREDENTIALS：账号不存在与密码错误答复相同' })
  @ApiResponse({ status: 429, description: 'LOGIN_LOCKED：Retry-After 为需等待的秒数' })
  async login(@CurrentTenant() tenant: Tenant, @Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<{ actor: SignedInActor }> {
    const cookie = sessionCookieName('hall', tenant.provinceId);
    const opened = await this.logins.login(tenant, body, requestOrigin(request), request.cookies[cookie]);
    setSessionCookie(reply, tenant, opened);
    return { actor: await this.actors.describe(tenant, { idHash: Buffer.alloc(0), data: opened.data }) };
  }

  @UseGuards(HallSessionGuard)
  @Get('session')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '当前登录者：{kind, account, unit?, units?, mustChooseUnit, mustChooseInstitution}；未登录 401' })
  session(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession): Promise<SignedInActor> {
    return this.actors.describe(tenant, session);
  }

  @UseGuards(HallSessionGuard)
  @Put('session/unit')
  @ApiOperation({ summary: '选择登录单位（NM-4、AH-3）：{unitId}' })
  chooseUnit(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Body() body: unknown, @Req() request: FastifyRequest): Promise<SignedInActor> {
    return this.actors.chooseUnit(tenant, session, field(body, 'unitId'), requestOrigin(request));
  }

  @UseGuards(HallSessionGuard)
  @Put('session/institution')
  @ApiOperation({ summary: '首次登录选定医疗机构（NM-5）：{institutionCode}，选定后不可更改' })
  chooseInstitution(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Body() body: unknown, @Req() request: FastifyRequest): Promise<SignedInActor> {
    return this.actors.chooseInstitution(tenant, session, field(body, 'institutionCode'), requestOrigin(request));
  }

  @UseGuards(HallSessionGuard)
  @Delete('session')
  @HttpCode(204)
  @ApiOperation({ summary: '退出登录 → 204' })
  async logout(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    await this.sessions.end(session, requestOrigin(request));
    clearSessionCookie(reply, tenant, 'hall');
  }

  @Public()
  @Post('qr-logins')
  @HttpCode(201)
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '扫码登录（HN-1）：生成 2 分钟有效的二维码票据 {ticketId, pollToken, svg, confirmUrl}' })
  async issueQr(@CurrentTenant() tenant: Tenant, @Req() request: FastifyRequest): Promise<IssuedQrTicket> {
    this.qrOffered(tenant);
    return this.qr.issue(tenant, `${request.protocol}://${request.host}`);
  }

  @Public()
  @Get('qr-logins/:ticketId')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '轮询二维码状态：请求头 X-Poll-Token → {status: pending | approved | expired}' })
  async qrStatus(@CurrentTenant() tenant: Tenant, @Param('ticketId') ticketId: string, @Headers('x-poll-token') pollToken: string | undefined): Promise<{ status: QrTicketStatus }> {
    this.qrOffered(tenant);
    return { status: await this.qr.status(tenant, ticketId, pollToken ?? '') };
  }

  @UseGuards(HallSessionGuard)
  @Post('qr-logins/:ticketId/approval')
  @HttpCode(200)
  @ApiOperation({ summary: '在已登录的设备上确认扫码登录' })
  async approveQr(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Param('ticketId') ticketId: string, @Req() request: FastifyRequest): Promise<{ approved: true }> {
    this.qrOffered(tenant);
    await this.qr.approve(tenant, ticketId, session, requestOrigin(request));
    return { approved: true };
  }

  @Public()
  @Post('unit-account-lookups')
  @HttpCode(200)
  @ApiOperation({ summary: '单位用户查询（JL-6）：{uscc, captchaId, captcha} → {accountName, unitName}；查不到即未在本省注册' })
  lookup(@CurrentTenant() tenant: Tenant, @Body() body: unknown): Promise<UnitAccountLookup> {
    return this.recovery.lookup(tenant, body);
  }

  @Public()
  @Post('password-resets/sms-codes')
  @HttpCode(202)
  @ApiOperation({ summary: '按统一社会信用代码找回密码（JL-7）第一步：向注册时验证的手机号发送验证码 {uscc, captchaId, captcha}' })
  sendResetCode(@CurrentTenant() tenant: Tenant, @Body() body: unknown, @Req() request: FastifyRequest): Promise<SmsCodeIssued & { phone: string }> {
    return this.recovery.sendResetCode(tenant, body, requestOrigin(request));
  }

  @Public()
  @Post('password-resets')
  @HttpCode(200)
  @ApiOperation({ summary: '重置单位账号密码（JL-7）：method unit-info（注册信息完全一致）或 credit-code（信用代码+短信验证码）；结束该账号的全部会话' })
  reset(@CurrentTenant() tenant: Tenant, @Body() body: unknown, @Req() request: FastifyRequest): Promise<{ accountName: string; sessionsEnded: number }> {
    return this.recovery.reset(tenant, body, requestOrigin(request));
  }

  /** Only where the profile offers QR login (HN-1); elsewhere LOGIN_METHOD_NOT_OFFERED. */
  private qrOffered(tenant: Tenant): void {
    offeredMethod(tenant.profile, 'qr');
  }
}
