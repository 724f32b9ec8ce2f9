import { Body, Controller, Get, Header, Inject, Param, Post, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/csrf-protection';
import { adminChrome } from '#src/administration/admin-pages.view.js';
import { AdministratorPages, CurrentAdministrator } from '#src/administration/administrator.guard.js';
import type { AdministratorRecord } from '#src/administration/administrators.repository.js';
import { decideOnPage, type ReviewPageState } from '#src/administration/review-decision-page.js';
import { requestOrigin } from '#src/audit/audit-log.js';
import { Public } from '#src/authz/public.decorator.js';
import { CaErrorCode } from '#src/ca/ca.exception.js';
import { CaProofs, hallVendorIds } from '#src/ca/ca-proofs.service.js';
import { HallBindingRequests, type BindingRequestView } from '#src/ca/hall/hall-binding-requests.js';
import { adminQueueView, hallBindingPageView, tpsBindingsPageView, tpsLoginPageView } from '#src/ca/pages/ca-pages.view.js';
import { proofFields } from '#src/ca/pages/ca-proof.view.js';
import type { ActivationOffer } from '#src/ca/procurement/procurement-ca-login.js';
import { ProcurementCaBindings } from '#src/ca/procurement/procurement-ca-bindings.js';
import { CLOCK, type Clock } from '#src/clock/clock.js';
import type { AppException } from '#src/errors/app-exception.js';
import type { InputState } from '#src/identity/pages/form-inputs.js';
import { SignedInPages } from '#src/identity/pages/hall-page.guard.js';
import { errorsOf, formText, hasCode, send, userError } from '#src/identity/pages/page-support.js';
import { HallSession } from '#src/identity/sessions/hall-session.guard.js';
import { setSessionCookie } from '#src/identity/sessions/session-cookie.js';
import { sessionCookieName, type LiveSession } from '#src/identity/sessions/session.service.js';
import { formatMessage } from '#src/portal/i18n/messages.js';
import { PageRenderer } from '#src/portal/page-renderer.js';
import { HTML } from '#src/portal/portal.controller.js';
import { ProcurementActorService } from '#src/procurement/procurement-actor.service.js';
import { ProcurementLoginService } from '#src/procurement/procurement-login.service.js';
import { CurrentTenant } from '#src/tenancy/current-tenant.decorator.js';
import { TenantInterceptor } from '#src/tenancy/tenant.interceptor.js';
import type { Tenant } from '#src/tenancy/tenant.js';

/** Refused by a service: the page again with the message (4xx); anything else is the error page's. */
function known(error: unknown): AppException {
  const found = userError(error);
  if (!found) throw error;
  return found;
}

/** HN-8 网厅 CA 绑定 for the signed-in unit account: the steps, the promise and its due time, the request form. */
@ApiExcludeController()
@Controller()
@UseInterceptors(TenantInterceptor)
@SignedInPages()
export class HallCaBindingPageController {
  constructor(
    @Inject(PageRenderer) private readonly pages: PageRenderer,
    @Inject(HallBindingRequests) private readonly requests: HallBindingRequests,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get([':province/hall/ca-binding', 'hall/ca-binding'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async page(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Res() reply: FastifyReply): Promise<void> {
    await this.render(tenant, session, reply, 200, { values: {}, errors: {} });
  }

  @Post([':province/hall/ca-binding', 'hall/ca-binding'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async submit(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const values = { unitName: formText(body, 'unitName'), uscc: formText(body, 'uscc'), serial: formText(body, 'serial') };
    try {
      const submitted = await this.requests.submit(tenant, session, values, requestOrigin(request));
      await this.render(tenant, session, reply, 201, { values: {}, errors: {}, submitted });
    } catch (error) {
      const refused = known(error);
      await this.render(tenant, session, reply, refused.status, { values, errors: errorsOf(refused).fields, alert: refused.message });
    }
  }

  private async render(tenant: Tenant, session: LiveSession, reply: FastifyReply, status: number, form: InputState & { alert?: string; submitted?: BindingRequestView }): Promise<void> {
    const m = this.pages.messages(tenant);
    let state;
    try {
      state = await this.requests.state(tenant, session);
    } catch (error) {
      // An operator is told it is the unit account's page (as 单位管理 does); anything else is the error page.
      const refused = known(error);
      if (!hasCode(refused, CaErrorCode.UNIT_ACCOUNT_ONLY)) throw refused;
      const view = { heading: m['ca.hallBinding.title'], message: refused.message, hallHref: `${tenant.basePath}/hall` };
      send(reply, { status: refused.status, html: this.pages.render({ tenant, page: 'hall-unit-only', title: m['ca.hallBinding.title'], view }) });
      return;
    }
    const vendor = tenant.profile.caVendors.find((v) => hallVendorIds(tenant).includes(v.id));
    const view = hallBindingPageView(tenant.profile, vendor, tenant.basePath, state, { ...form, csrfToken: reply.generateCsrf() }, this.clock.now(), m);
    send(reply, { status, html: this.pages.render({ tenant, page: 'hall-ca-binding', title: m['ca.hallBinding.title'], view }) });
  }
}

/** The province administrator's review queue of HN-8 requests. */
@ApiExcludeController()
@Controller()
@UseInterceptors(TenantInterceptor)
@AdministratorPages()
export class AdminCaBindingsPageController {
  constructor(
    @Inject(PageRenderer) private readonly pages: PageRenderer,
    @Inject(HallBindingRequests) private readonly requests: HallBindingRequests,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get([':province/admin/ca-bindings', 'admin/ca-bindings'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async queue(@CurrentTenant() tenant: Tenant, @CurrentAdministrator() administrator: AdministratorRecord, @Res() reply: FastifyReply): Promise<void> {
    await this.render(tenant, administrator, reply, 200, {});
  }

  @Post([':province/admin/ca-bindings/:requestId/approval', 'admin/ca-bindings/:requestId/approval'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async approve(@CurrentTenant() tenant: Tenant, @CurrentAdministrator() administrator: AdministratorRecord, @Param('requestId') requestId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.decide(tenant, administrator, reply, () => this.requests.approve(tenant, administrator.id, requestId, requestOrigin(request)), 'ca.admin.approved');
  }

  @Post([':province/admin/ca-bindings/:requestId/rejection', 'admin/ca-bindings/:requestId/rejection'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async reject(@CurrentTenant() tenant: Tenant, @CurrentAdministrator() administrator: AdministratorRecord, @Param('requestId') requestId: string, @Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.decide(tenant, administrator, reply, () => this.requests.reject(tenant, administrator.id, requestId, { reason: formText(body, 'reason') }, requestOrigin(request)), 'ca.admin.rejected');
  }

  private decide(tenant: Tenant, administrator: AdministratorRecord, reply: FastifyReply, run: () => Promise<BindingRequestView>, done: 'ca.admin.approved' | 'ca.admin.rejected'): Promise<void> {
    return decideOnPage(run, (decided) => formatMessage(this.pages.messages(tenant)[done], { unit: decided.unitName }), (status, state) => this.render(tenant, administrator, reply, status, state));
  }

  private async render(tenant: Tenant, administrator: AdministratorRecord, reply: FastifyReply, status: number, state: ReviewPageState): Promise<void> {
    const m = this.pages.messages(tenant);
    const csrfToken = reply.generateCsrf();
    const view = { chrome: adminChrome(tenant.profile, tenant.basePath, administrator, 'ca-bindings', csrfToken, m), queue: adminQueueView(tenant.basePath, await this.requests.queue(tenant, 'all'), { ...state, csrfToken }, this.clock.now(), m) };
    send(reply, { status, html: this.pages.render({ tenant, page: 'admin-ca-bindings', title: m['ca.admin.title'], view }) });
  }
}

/** 账号管理 → CA绑定 / CA解绑 (HN-11 way 2, HN-12) as a page of the procurement subsystem. */
@ApiExcludeController()
@Controller()
@UseInterceptors(TenantInterceptor)
@SignedInPages('procurement')
export class ProcurementCaBindingsPageController {
  constructor(
    @Inject(PageRenderer) private readonly pages: PageRenderer,
    @Inject(ProcurementCaBindings) private readonly bindings: ProcurementCaBindings,
    @Inject(ProcurementActorService) private readonly actors: ProcurementActorService,
    @Inject(CaProofs) private readonly proofs: CaProofs,
  ) {}

  @Get([':province/procurement/ca-bindings', 'procurement/ca-bindings'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async page(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Query('bind') bind: unknown, @Res() reply: FastifyReply): Promise<void> {
    await this.render(tenant, session, reply, 200, { bindAccountId: typeof bind === 'string' ? bind : undefined });
  }

  @Post([':province/procurement/ca-bindings', 'procurement/ca-bindings'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async bind(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const read = (name: string) => formText(body, name);
    const accountId = read('accountId');
    try {
      const bound = await this.bindings.bind(tenant, await this.actors.describe(tenant, session), { accountId, ...proofFields(read) }, requestOrigin(request));
      await this.render(tenant, session, reply, 201, { notice: formatMessage(this.pages.messages(tenant)['ca.tps.bound'], { name: bound.name }) });
    } catch (error) {
      const refused = known(error);
      await this.render(tenant, session, reply, refused.status, { alert: refused.message, bindAccountId: accountId, values: { certificate: read('certificate') }, errors: errorsOf(refused).fields });
    }
  }

  @Post([':province/procurement/ca-bindings/:accountId/unbind', 'procurement/ca-bindings/:accountId/unbind'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async unbind(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Param('accountId') accountId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const actor = await this.actors.describe(tenant, session);
    try {
      const name = (await this.bindings.list(tenant, actor)).find((a) => a.accountId === accountId)?.name ?? '';
      await this.bindings.unbind(tenant, actor, accountId, requestOrigin(request));
      await this.render(tenant, session, reply, 200, { notice: formatMessage(this.pages.messages(tenant)['ca.tps.removed'], { name }) });
    } catch (error) {
      const refused = known(error);
      await this.render(tenant, session, reply, refused.status, { alert: refused.message });
    }
  }

  private async render(
    tenant: Tenant,
    session: LiveSession,
    reply: FastifyReply,
    status: number,
    state: { notice?: string; alert?: string; bindAccountId?: string | undefined; values?: Record<string, string>; errors?: Record<string, string> },
  ): Promise<void> {
    const m = this.pages.messages(tenant);
    const accounts = await this.bindings.list(tenant, await this.actors.describe(tenant, session));
    const account = accounts.find((a) => a.accountId === state.bindAccountId && !a.binding);
    const bind = account && { account, challenge: await this.proofs.issueChallenge(tenant), values: state.values, errors: state.errors };
    const view = tpsBindingsPageView(tenant.profile, tenant.basePath, accounts, { csrfToken: reply.generateCsrf(), notice: state.notice, alert: state.alert, bind }, m);
    send(reply, { status, html: this.pages.render({ tenant, page: 'procurement-ca-bindings', title: m['ca.tps.title'], view, subsystem: 'procurement' }) });
  }
}

/** CA账号登录 (HN-11) and, for an unbound certificate, the 账号激活 dialog with its 激活 button. */
@ApiExcludeController()
@Controller()
@UseInterceptors(TenantInterceptor)
export class ProcurementCaLoginPageController {
  constructor(
    @Inject(PageRenderer) private readonly pages: PageRenderer,
    @Inject(ProcurementLoginService) private readonly logins: ProcurementLoginService,
    @Inject(CaProofs) private readonly proofs: CaProofs,
  ) {}

  @Public()
  @Get([':province/procurement/ca-login', 'procurement/ca-login'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async form(@CurrentTenant() tenant: Tenant, @Res() reply: FastifyReply): Promise<void> {
    await this.render(tenant, reply, 200, {});
  }

  @Public()
  @Post([':province/procurement/ca-login', 'procurement/ca-login'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async login(@CurrentTenant() tenant: Tenant, @Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const read = (name: string) => formText(body, name);
    const ticket = read('activationTicket');
    const input = ticket ? { method: 'ca', activationTicket: ticket } : { method: 'ca', ...proofFields(read) };
    try {
      const opened = await this.logins.login(tenant, input, requestOrigin(request), request.cookies[sessionCookieName('procurement', tenant.provinceId)]);
      setSessionCookie(reply, tenant, opened);
      send(reply, { redirect: `${tenant.basePath}/procurement` });
    } catch (error) {
      const refused = known(error);
      const activation = hasCode(refused, CaErrorCode.ACTIVATION_REQUIRED) ? (refused.extra?.activation as ActivationOffer | undefined) : undefined;
      await this.render(tenant, reply, refused.status, { alert: refused.message, activation, values: { certificate: read('certificate') }, errors: errorsOf(refused).fields });
    }
  }

  private async render(tenant: Tenant, reply: FastifyReply, status: number, state: { alert?: string; activation?: ActivationOffer | undefined; values?: Record<string, string>; errors?: Record<string, string> }): Promise<void> {
    const m = this.pages.messages(tenant);
    const challenge = state.activation ? undefined : await this.proofs.issueChallenge(tenant);
    const view = tpsLoginPageView(tenant.profile, tenant.basePath, { csrfToken: reply.generateCsrf(), challenge, ...state }, m);
    send(reply, { status, html: this.pages.render({ tenant, page: 'procurement-ca-login', title: m['ca.tpsLogin.title'], view, subsystem: 'procurement' }) });
  }
}
