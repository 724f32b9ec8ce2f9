import { Body, Controller, Get, Header, Inject, NotFoundException, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/csrf-protection';
import { requestOrigin } from '#src/audit/audit-log.js';
import { Public } from '#src/authz/public.decorator.js';
import type { AppException } from '#src/errors/app-exception.js';
import { IdentityErrorCode } from '#src/identity/identity.exception.js';
import { errorsOf, formText, hasCode, issueCaptcha, retryAfter, send, userError } from '#src/identity/pages/page-support.js';
import { maskPhone } from '#src/identity/request-body.js';
import { codeMaintenanceLink, keptValues, registrationBody, registrationDoneView, registrationPageView, type AlertView, type RegistrationPageState } from '#src/identity/pages/registration-page.view.js';
import { RegistrationService } from '#src/identity/registration/registration.service.js';
import { formatMessage } from '#src/portal/i18n/messages.js';
import { PageRenderer } from '#src/portal/page-renderer.js';
import { HTML } from '#src/portal/portal.controller.js';
import { CurrentTenant } from '#src/tenancy/current-tenant.decorator.js';
import { TenantInterceptor } from '#src/tenancy/tenant.interceptor.js';
import type { Tenant } from '#src/tenancy/tenant.js';
import { CaptchaService } from '#src/verification/captcha.service.js';
import { SmsCodeService } from '#src/verification/sms-code.service.js';

/**
 * The registration wizard page (N-5): unit info → operator info → done. The form posts to its own
 * route, which calls the same RegistrationService as the API; `action=send-code` (the no-script
 * 发送验证码) and `action=captcha` (换一张) post the whole form and come back with it filled in.
 */
@ApiExcludeController()
@Controller()
@UseInterceptors(TenantInterceptor)
export class RegistrationPageController {
  constructor(
    @Inject(PageRenderer) private readonly pages: PageRenderer,
    @Inject(RegistrationService) private readonly registrations: RegistrationService,
    @Inject(CaptchaService) private readonly captchas: CaptchaService,
    @Inject(SmsCodeService) private readonly codes: SmsCodeService,
  ) {}

  @Public()
  @Get([':province/register', 'register'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async form(@CurrentTenant() tenant: Tenant, @Res() reply: FastifyReply): Promise<void> {
    this.offered(tenant);
    send(reply, { status: 200, html: await this.renderForm(tenant, reply, {}) });
  }

  @Public()
  @Post([':province/register', 'register'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async submit(@CurrentTenant() tenant: Tenant, @Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    this.offered(tenant);
    const { profile } = tenant;
    const read = (name: string) => formText(body, name);
    const values = keptValues(profile, read);
    const action = read('action');
    const m = this.pages.messages(tenant);

    if (action === 'captcha') {
      send(reply, { status: 200, html: await this.renderForm(tenant, reply, { values }) });
      return;
    }
    if (action === 'send-code' && profile.registration.smsCode.enabled) {
      const phone = read('operator.mobile').trim();
      try {
        const issued = await this.codes.request({ province: tenant.provinceId, phone, purpose: 'registration', captchaId: read('captchaId'), captcha: read('captcha'), ip: request.ip });
        const notice = formatMessage(m['form.sms.sent'], { phone: maskPhone(phone), minutes: Math.ceil(issued.expiresInSeconds / 60) });
        send(reply, { status: 200, html: await this.renderForm(tenant, reply, { values, notice }) });
      } catch (error) {
        const known = userError(error);
        if (!known) throw error;
        retryAfter(reply, known);
        const errors = errorsOf(known, { phone: 'operator.mobile' });
        send(reply, { status: known.status, html: await this.renderForm(tenant, reply, { values, errors: errors.fields, alert: { message: known.message, links: [] } }) });
      }
      return;
    }

    try {
      const result = await this.registrations.register(tenant, registrationBody(profile, read), requestOrigin(request));
      const html = this.pages.render({ tenant, page: 'register-done', title: m['register.done.title'], view: registrationDoneView(profile, tenant.basePath, result, m) });
      send(reply, { status: 201, html });
    } catch (error) {
      const known = userError(error);
      if (!known) throw error;
      retryAfter(reply, known);
      const errors = errorsOf(known);
      send(reply, { status: known.status, html: await this.renderForm(tenant, reply, { values, errors: errors.fields, alert: this.alertFor(tenant, known) }) });
    }
  }

  private offered(tenant: Tenant): void {
    if (!tenant.profile.registration.enabled) throw new NotFoundException();
  }

  /** The error's message, with where to go next for the two a unit cannot fix on this form. */
  private alertFor(tenant: Tenant, error: AppException): AlertView {
    const { profile, basePath } = tenant;
    const m = this.pages.messages(tenant);
    const links: AlertView['links'] = [];
    // N-4, AH-5: the national coding database's maintenance site.
    const maintenance = hasCode(error, IdentityErrorCode.UNIT_NOT_IN_NATIONAL_REGISTRY) ? codeMaintenanceLink(profile, error, m) : undefined;
    if (maintenance) links.push(maintenance);
    if (hasCode(error, IdentityErrorCode.UNIT_ALREADY_REGISTERED)) {
      // XZ-3: log in with the existing account; JL-5/JL-6: find it by credit code.
      links.push({ href: `${basePath}/login`, label: formatMessage(m['register.useExisting'], { entry: profile.login.entryLabel }) });
      if (profile.unitAccount.lookupByCreditCode.enabled) links.push({ href: `${basePath}/lookup`, label: m['lookup.title'] });
    }
    return { message: error.message, links };
  }

  private async renderForm(tenant: Tenant, reply: FastifyReply, state: Omit<RegistrationPageState, 'csrfToken' | 'captcha'>): Promise<string> {
    const m = this.pages.messages(tenant);
    const { registration } = tenant.profile;
    const captcha = registration.graphicCaptcha.enabled || registration.smsCode.enabled ? await issueCaptcha(this.captchas, tenant) : undefined;
    const view = registrationPageView(tenant.profile, tenant.basePath, { ...state, captcha, csrfToken: reply.generateCsrf() }, m);
    return this.pages.render({ tenant, page: 'register', title: m['register.title'], view, scripts: [this.pages.assetUrl('identity.js')] });
  }
}
