import { Body, Controller, Delete, Get, Header, HttpCode, Inject, Post, Req, Res, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestOrigin } from '#src/audit/audit-log.js';
import { Public } from '#src/authz/public.decorator.js';
import { field } from '#src/identity/request-body.js';
import { HallSession, HallSessionGuard } from '#src/identity/sessions/hall-session.guard.js';
import { clearSessionCookie, setSessionCookie } from '#src/identity/sessions/session-cookie.js';
import { SessionService, sessionCookieName, type LiveSession, type OpenedSession } from '#src/identity/sessions/session.service.js';
import { HandoffService, type IssuedTicket } from '#src/procurement/handoff.service.js';
import { LocalAccountsService, type LocalAccountView } from '#src/procurement/local-accounts.service.js';
import { ProcurementActorService, type ProcurementActor } from '#src/procurement/procurement-actor.service.js';
import { ProcurementLoginService } from '#src/procurement/procurement-login.service.js';
import { AnyProcurementAccount, RequiresPermission, SignedInProcurementAccount, type SignedInProcurement } from '#src/procurement/procurement-permission.guard.js';
import type { RegistryInstitution } from '#src/national-registry/national-registry.port.js';
import { CurrentTenant } from '#src/tenancy/current-tenant.decorator.js';
import { TenantInterceptor } from '#src/tenancy/tenant.interceptor.js';
import type { Tenant } from '#src/tenancy/tenant.js';

/**
 * The procurement subsystem's way in and its own session (separate cookie `pe_tps_{id}`, as on the
 * real platform): from the hall by a one-time ticket, or at its own login page for branch
 * sub-accounts (AH-6) and special institutions (AH-7).
 */
@ApiTags('招采子系统')
@Controller('api/v1/provinces/:province')
@UseInterceptors(TenantInterceptor)
export class ProcurementController {
  constructor(
    @Inject(HandoffService) private readonly handoff: HandoffService,
    @Inject(ProcurementLoginService) private readonly logins: ProcurementLoginService,
    @Inject(ProcurementActorService) private readonly actors: ProcurementActorService,
    @Inject(LocalAccountsService) private readonly localAccounts: LocalAccountsService,
    @Inject(SessionService) private readonly sessions: SessionService,
  ) {}

  @UseGuards(HallSessionGuard)
  @Post('hall/procurement-tickets')
  @HttpCode(201)
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '招采企业服务 / 医药采购服务（N-5）：签发 60 秒一次性凭证 {ticket, url, expiresInSeconds}；未完成角色认证不签发' })
  @ApiResponse({ status: 403, description: 'HANDOFF_NOT_CERTIFIED（N-5、JL-12、AH-4）、HANDOFF_NOT_AUTHORISED（JL-9 招采授权）' })
  issueTicket(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Req() request: FastifyRequest): Promise<IssuedTicket> {
    return this.handoff.issue(tenant, session, requestOrigin(request));
  }

  @Public()
  @Post('procurement/sessions')
  @HttpCode(201)
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '进入招采系统：{ticket}（来自单位网厅），或招采子系统自有登录 {method: password, account, password, captchaId, captcha}（AH-6 分院子账号、AH-7 特殊医疗机构）→ 201 {actor} 并设置招采会话 Cookie' })
  @ApiBody({ schema: { type: 'object', properties: { ticket: { type: 'string' }, method: { type: 'string', enum: ['password'] }, account: { type: 'string' }, password: { type: 'string' }, captchaId: { type: 'string' }, captcha: { type: 'string' } } } })
  @ApiResponse({ status: 401, description: 'PROCUREMENT_TICKET_INVALID：凭证无效、过期或已使用；INVALID_CREDENTIALS' })
  async open(@CurrentTenant() tenant: Tenant, @Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<{ actor: ProcurementActor }> {
    const previous = request.cookies[sessionCookieName('procurement', tenant.provinceId)];
    const ticket = field(body, 'ticket');
    const opened = ticket ? await this.handoff.exchange(tenant, ticket, requestOrigin(request), previous) : await this.logins.login(tenant, body, requestOrigin(request), previous);
    setSessionCookie(reply, tenant, opened);
    return { actor: await this.actors.describe(tenant, asLive(opened)) };
  }

  @AnyProcurementAccount()
  @Get('procurement/session')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '当前招采账号：{accountId, kind, account, name, unit?, roleTypes, isMainAccount, canTransact}；未登录 401' })
  session(@SignedInProcurementAccount() signed: SignedInProcurement): ProcurementActor {
    return signed.actor;
  }

  @AnyProcurementAccount()
  @Delete('procurement/session')
  @HttpCode(204)
  @ApiOperation({ summary: '退出招采系统 → 204' })
  async close(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    await this.sessions.end(session, requestOrigin(request));
    clearSessionCookie(reply, tenant, 'procurement');
  }

  @RequiresPermission('accounts', 'query')
  @Get('procurement/sub-accounts')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '机构子账号（AH-6）：本信用代码下的分院与已建子账号；仅主账号' })
  subAccounts(@CurrentTenant() tenant: Tenant, @SignedInProcurementAccount() signed: SignedInProcurement): Promise<{ branches: RegistryInstitution[]; accounts: LocalAccountView[] }> {
    return this.localAccounts.subAccounts(tenant, signed.actor);
  }

  @RequiresPermission('accounts', 'add-sub-account')
  @Post('procurement/sub-accounts')
  @HttpCode(201)
  @ApiOperation({ summary: '添加机构子账号（AH-6、JL-15）：{institutionCode, loginName, password, confirmPassword, contactName, contactPhone}；分院以此在招采子系统自有登录页登录' })
  createSubAccount(@CurrentTenant() tenant: Tenant, @SignedInProcurementAccount() signed: SignedInProcurement, @Body() body: unknown, @Req() request: FastifyRequest): Promise<LocalAccountView> {
    return this.localAccounts.createSubAccount(tenant, signed.actor, body, requestOrigin(request));
  }
}

/** The session just opened, read as a live one (describe needs nothing else). */
export function asLive(opened: OpenedSession): LiveSession {
  return { idHash: Buffer.alloc(0), data: opened.data };
}
