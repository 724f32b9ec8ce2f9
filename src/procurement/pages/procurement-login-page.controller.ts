import { Body, Controller, Get, Header, Inject, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/csrf-protection';
import { requestOrigin } from '#src/audit/audit-log.js';
import { Public } from '#src/authz/public.decorator.js';
import { plainInput, type InputState } from '#src/identity/pages/form-inputs.js';
import { errorsOf, formText, issueCaptcha, send, userError } from '#src/identity/pages/page-support.js';
import { setSessionCookie } from '#src/identity/sessions/session-cookie.js';
import { sessionCookieName } from '#src/identity/sessions/session.service.js';
import { PageRenderer } from '#src/portal/page-renderer.js';
import { HTML } from '#src/portal/portal.controller.js';
import { procurementLoginView } from '#src/procurement/pages/procurement-pages.view.js';
import { hasLocalLogin, ProcurementLoginService } from '#src/procurement/procurement-login.service.js';
import { CurrentTenant } from '#src/tenancy/current-tenant.decorator.js';
import { TenantInterceptor } from '#src/tenancy/tenant.interceptor.js';
import type { Tenant } from '#src/tenancy/tenant.js';
import { CaptchaService } from '#src/verification/captcha.service.js';

/**
 * `/{id}/procurement/login`, the subsystem's own login page (DESIGN.md): branch sub-accounts (AH-6)
 * and special institutions (AH-7) sign in here; in provinces without them it points to the hall.
 */
@ApiExcludeController()
@Controller()
@UseInterceptors(TenantInterceptor)
export class ProcurementLoginPageController {
  constructor(
    @Inject(PageRenderer) private readonly pages: PageRenderer,
    @Inject(ProcurementLoginService) private readonly logins: ProcurementLoginService,
    @Inject(CaptchaService) private readonly captchas: CaptchaService,
  ) {}

  @Public()
  @Get([':province/procurement/login', 'procurement/login'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async form(@CurrentTenant() tenant: Tenant, @Res() reply: FastifyReply): Promise<void> {
    send(reply, { status: 200, html: await this.render(tenant, reply, { values: {}, errors: {} }) });
  }

  @Public()
  @Post([':province/procurement/login', 'procurement/login'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async login(@CurrentTenant() tenant: Tenant, @Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const values = { account: formText(body, 'account') };
    if (formText(body, 'action') === 'captcha') {
      send(reply, { status: 200, html: await this.render(tenant, reply, { values, errors: {} }) });
      return;
    }
    const input = { method: 'password', account: values.account, password: formText(body, 'password'), captchaId: formText(body, 'captchaId'), captcha: formText(body, 'captcha') };
    try {
      const opened = await this.logins.login(tenant, input, requestOrigin(request), request.cookies[sessionCookieName('procurement', tenant.provinceId)]);
      setSessionCookie(reply, tenant, opened);
      send(reply, { redirect: `${tenant.basePath}/procurement/` });
    } catch (error) {
      const known = userError(error);
      if (!known) throw error;
      send(reply, { status: known.status, html: await this.render(tenant, reply, { values, errors: errorsOf(known).fields }, known.message) });
    }
  }

  private async render(tenant: Tenant, reply: FastifyReply, state: InputState, alert?: string): Promise<string> {
    const m = this.pages.messages(tenant);
    const local = hasLocalLogin(tenant.profile);
    const inputs = [
      plainInput({ name: 'account', label: m['procurement.login.account'], type: 'text', required: true, autocomplete: 'username', maxLength: 64 }, state),
      plainInput({ name: 'password', label: m['procurement.login.password'], type: 'password', required: true, autocomplete: 'current-password', maxLength: 128 }, state),
    ];
    const captcha = local ? await issueCaptcha(this.captchas, tenant) : undefined;
    const captchaInput = plainInput({ name: 'captcha', label: m['procurement.login.captcha'], type: 'text', required: true, autocomplete: 'off', maxLength: 8 }, state);
    const view = procurementLoginView(tenant.profile, tenant.basePath, { csrfToken: reply.generateCsrf(), inputs, captcha: captcha && { ...captcha, input: captchaInput }, alert }, m);
    return this.pages.render({ tenant, page: 'procurement-login', title: m['procurement.login.title'], view, subsystem: 'procurement', scripts: [this.pages.assetUrl('identity.js')] });
  }
}
