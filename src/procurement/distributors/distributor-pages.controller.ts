import { Body, Controller, Get, Header, Inject, Param, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/csrf-protection';
import { adminChrome } from '#src/administration/admin-pages.view.js';
import { AdministratorPages, CurrentAdministrator } from '#src/administration/administrator.guard.js';
import type { AdministratorRecord } from '#src/administration/administrators.repository.js';
import { decideOnPage, type ReviewPageState } from '#src/administration/review-decision-page.js';
import { requestOrigin } from '#src/audit/audit-log.js';
import { Public } from '#src/authz/public.decorator.js';
import type { InputState } from '#src/identity/pages/form-inputs.js';
import { errorsOf, formText, issueCaptcha, retryAfter, send, userError } from '#src/identity/pages/page-support.js';
import { codeMaintenanceLink, type AlertView } from '#src/identity/pages/registration-page.view.js';
import { formatMessage } from '#src/portal/i18n/messages.js';
import { PageRenderer } from '#src/portal/page-renderer.js';
import { HTML } from '#src/portal/portal.controller.js';
import { adminQueueView, registerDoneView, registerPageView, REGISTRATION_FIELDS } from '#src/procurement/distributors/distributor-pages.view.js';
import { assertOffered, DistributorRegistrationsService, type RegistrationView } from '#src/procurement/distributors/distributor-registrations.service.js';
import { CurrentTenant } from '#src/tenancy/current-tenant.decorator.js';
import { TenantInterceptor } from '#src/tenancy/tenant.interceptor.js';
import type { Tenant } from '#src/tenancy/tenant.js';
import { CaptchaService } from '#src/verification/captcha.service.js';

/**
 * 用户注册 at `/{id}/procurement/register` (HN-10), linked under the procurement login form: the
 * form posts to its own route, which calls the same service as the API; `action=captcha` (换一张)
 * comes back with the form filled in (never the passwords). Works without JavaScript.
 */
@ApiExcludeController()
@Controller()
@UseInterceptors(TenantInterceptor)
export class DistributorRegisterPageController {
  constructor(
    @Inject(PageRenderer) private readonly pages: PageRenderer,
    @Inject(DistributorRegistrationsService) private readonly registrations: DistributorRegistrationsService,
    @Inject(CaptchaService) private readonly captchas: CaptchaService,
  ) {}

  @Public()
  @Get([':province/procurement/register', 'procurement/register'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async form(@CurrentTenant() tenant: Tenant, @Res() reply: FastifyReply): Promise<void> {
    assertOffered(tenant);
    send(reply, { status: 200, html: await this.render(tenant, reply, { values: {}, errors: {} }) });
  }

  @Public()
  @Post([':province/procurement/register', 'procurement/register'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async submit(@CurrentTenant() tenant: Tenant, @Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    assertOffered(tenant);
    const input = Object.fromEntries(REGISTRATION_FIELDS.map((name) => [name, formText(body, name)]));
    const { password: _password, confirmPassword: _confirm, captcha: _captcha, captchaId: _captchaId, ...values } = input;
    if (formText(body, 'action') === 'captcha') {
      send(reply, { status: 200, html: await this.render(tenant, reply, { values, errors: {} }) });
      return;
    }
    const m = this.pages.messages(tenant);
    try {
      const submitted = await this.registrations.register(tenant, input, requestOrigin(request));
      const html = this.pages.render({ tenant, page: 'procurement-register-done', title: m['distributor.done.title'], view: registerDoneView(tenant.basePath, submitted, m), subsystem: 'procurement' });
      send(reply, { status: 201, html });
    } catch (error) {
      const known = userError(error);
      if (!known) throw error;
      retryAfter(reply, known);
      const maintenance = codeMaintenanceLink(tenant.profile, known, m);
      const alert: AlertView = { message: known.message, links: maintenance ? [maintenance] : [] };
      send(reply, { status: known.status, html: await this.render(tenant, reply, { values, errors: errorsOf(known).fields }, alert) });
    }
  }

  private async render(tenant: Tenant, reply: FastifyReply, state: InputState, alert?: AlertView): Promise<string> {
    const m = this.pages.messages(tenant);
    const captcha = await issueCaptcha(this.captchas, tenant);
    const view = registerPageView(tenant.profile, tenant.basePath, { ...state, csrfToken: reply.generateCsrf(), captcha, alert }, m);
    return this.pages.render({ tenant, page: 'procurement-register', title: m['distributor.register.title'], view, subsystem: 'procurement', scripts: [this.pages.assetUrl('identity.js')] });
  }
}

/** The province administrator's review queue of distributor registrations (HN-10). */
@ApiExcludeController()
@Controller()
@UseInterceptors(TenantInterceptor)
@AdministratorPages()
export class AdminDistributorRegistrationsPageController {
  constructor(
    @Inject(PageRenderer) private readonly pages: PageRenderer,
    @Inject(DistributorRegistrationsService) private readonly registrations: DistributorRegistrationsService,
  ) {}

  @Get([':province/admin/distributor-registrations', 'admin/distributor-registrations'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async queue(@CurrentTenant() tenant: Tenant, @CurrentAdministrator() administrator: AdministratorRecord, @Res() reply: FastifyReply): Promise<void> {
    await this.render(tenant, administrator, reply, 200, {});
  }

  @Post([':province/admin/distributor-registrations/:registrationId/approval', 'admin/distributor-registrations/:registrationId/approval'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async approve(@CurrentTenant() tenant: Tenant, @CurrentAdministrator() administrator: AdministratorRecord, @Param('registrationId') registrationId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.decide(tenant, administrator, reply, () => this.registrations.approve(tenant, administrator.id, registrationId, requestOrigin(request)), 'distributor.admin.approved');
  }

  @Post([':province/admin/distributor-registrations/:registrationId/rejection', 'admin/distributor-registrations/:registrationId/rejection'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async reject(@CurrentTenant() tenant: Tenant, @CurrentAdministrator() administrator: AdministratorRecord, @Param('registrationId') registrationId: string, @Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.decide(tenant, administrator, reply, () => this.registrations.reject(tenant, administrator.id, registrationId, { reason: formText(body, 'reason') }, requestOrigin(request)), 'distributor.admin.rejected');
  }

  private decide(tenant: Tenant, administrator: AdministratorRecord, reply: FastifyReply, run: () => Promise<RegistrationView>, done: 'distributor.admin.approved' | 'distributor.admin.rejected'): Promise<void> {
    return decideOnPage(run, (decided) => formatMessage(this.pages.messages(tenant)[done], { unit: decided.unitName }), (status, state) => this.render(tenant, administrator, reply, status, state));
  }

  private async render(tenant: Tenant, administrator: AdministratorRecord, reply: FastifyReply, status: number, state: ReviewPageState): Promise<void> {
    const m = this.pages.messages(tenant);
    const csrfToken = reply.generateCsrf();
    const view = { chrome: adminChrome(tenant.profile, tenant.basePath, administrator, 'distributor-registrations', csrfToken, m), queue: adminQueueView(tenant.basePath, await this.registrations.queue(tenant, 'all'), { ...state, csrfToken }, m) };
    send(reply, { status, html: this.pages.render({ tenant, page: 'admin-distributor-registrations', title: m['distributor.admin.title'], view }) });
  }
}
