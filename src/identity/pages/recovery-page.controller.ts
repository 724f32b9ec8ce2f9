import { Body, Controller, Get, Header, Inject, NotFoundException, Post, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/csrf-protection';
import { requestOrigin } from '#src/audit/audit-log.js';
import { Public } from '#src/authz/public.decorator.js';
import { IdentityErrorCode } from '#src/identity/identity.exception.js';
import { errorsOf, formText, hasCode, issueCaptcha, retryAfter, send, userError } from '#src/identity/pages/page-support.js';
import { chosenRecoveryMethod, lookupPageView, recoveryBody, recoveryKept, recoveryPageView, type RecoveryPageState } from '#src/identity/pages/recovery-page.view.js';
import { RecoveryService } from '#src/identity/recovery/recovery.service.js';
import { formatMessage } from '#src/portal/i18n/messages.js';
import { PageRenderer } from '#src/portal/page-renderer.js';
import { HTML } from '#src/portal/portal.controller.js';
import { CurrentTenant } from '#src/tenancy/current-tenant.decorator.js';
import { TenantInterceptor } from '#src/tenancy/tenant.interceptor.js';
import type { Tenant } from '#src/tenancy/tenant.js';
import { CaptchaService } from '#src/verification/captcha.service.js';

/** 忘记密码 (JL-7) and 单位用户查询 (JL-6), on RecoveryService like the API. */
@ApiExcludeController()
@Controller()
@UseInterceptors(TenantInterceptor)
export class RecoveryPageController {
  constructor(
    @Inject(PageRenderer) private readonly pages: PageRenderer,
    @Inject(RecoveryService) private readonly recovery: RecoveryService,
    @Inject(CaptchaService) private readonly captchas: CaptchaService,
  ) {}

  @Public()
  @Get([':province/recover', 'recover'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async form(@CurrentTenant() tenant: Tenant, @Query('method') method: unknown, @Res() reply: FastifyReply): Promise<void> {
    const chosen = chosenRecoveryMethod(tenant.profile, typeof method === 'string' ? method : '');
    send(reply, { status: 200, html: await this.renderForm(tenant, reply, { method: chosen }) });
  }

  @Public()
  @Post([':province/recover', 'recover'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async submit(@CurrentTenant() tenant: Tenant, @Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const { profile } = tenant;
    const m = this.pages.messages(tenant);
    const read = (name: string) => formText(body, name);
    const method = chosenRecoveryMethod(profile, read('method'));
    if (!method) throw new NotFoundException();
    const values = recoveryKept(profile, read);
    const action = read('action');
    try {
      if (action === 'captcha') {
        send(reply, { status: 200, html: await this.renderForm(tenant, reply, { method, values }) });
        return;
      }
      if (action === 'send-code' && method.id === 'credit-code') {
        const sent = await this.recovery.sendResetCode(tenant, { uscc: read('uscc'), captchaId: read('captchaId'), captcha: read('captcha') }, requestOrigin(request));
        const notice = formatMessage(m['recover.codeSent'], { phone: sent.phone, minutes: Math.ceil(sent.expiresInSeconds / 60) });
        send(reply, { status: 200, html: await this.renderForm(tenant, reply, { method, values, notice }) });
        return;
      }
      const done = await this.recovery.reset(tenant, recoveryBody(profile, method, read), requestOrigin(request));
      const view = { lead: formatMessage(m['recover.done.lead'], { account: done.accountName }), sessionsEnded: done.sessionsEnded > 0, loginHref: `${tenant.basePath}/login` };
      send(reply, { status: 200, html: this.pages.render({ tenant, page: 'recover-done', title: m['recover.done.title'], view }) });
    } catch (error) {
      const known = userError(error);
      if (!known) throw error;
      retryAfter(reply, known);
      const errors = errorsOf(known, { phone: 'uscc' });
      send(reply, { status: known.status, html: await this.renderForm(tenant, reply, { method, values, errors: errors.fields, alert: known.message }) });
    }
  }

  @Public()
  @Get([':province/lookup', 'lookup'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async lookupForm(@CurrentTenant() tenant: Tenant, @Res() reply: FastifyReply): Promise<void> {
    this.lookupOffered(tenant);
    send(reply, { status: 200, html: await this.renderLookup(tenant, reply, {}) });
  }

  @Public()
  @Post([':province/lookup', 'lookup'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async lookup(@CurrentTenant() tenant: Tenant, @Body() body: unknown, @Res() reply: FastifyReply): Promise<void> {
    this.lookupOffered(tenant);
    const read = (name: string) => formText(body, name);
    const values = { uscc: read('uscc') };
    if (read('action') === 'captcha') {
      send(reply, { status: 200, html: await this.renderLookup(tenant, reply, { values }) });
      return;
    }
    try {
      const result = await this.recovery.lookup(tenant, { uscc: read('uscc'), captchaId: read('captchaId'), captcha: read('captcha') });
      send(reply, { status: 200, html: await this.renderLookup(tenant, reply, { values, result }) });
    } catch (error) {
      const known = userError(error);
      if (!known) throw error;
      const errors = errorsOf(known);
      const notRegistered = hasCode(known, IdentityErrorCode.UNIT_NOT_REGISTERED_HERE);
      send(reply, { status: known.status, html: await this.renderLookup(tenant, reply, { values, errors: errors.fields, alert: known.message, notRegistered }) });
    }
  }

  private lookupOffered(tenant: Tenant): void {
    if (!tenant.profile.unitAccount.lookupByCreditCode.enabled) throw new NotFoundException();
  }

  private async renderForm(tenant: Tenant, reply: FastifyReply, state: Omit<RecoveryPageState, 'csrfToken' | 'captcha'>): Promise<string> {
    const m = this.pages.messages(tenant);
    const captcha = state.method ? await issueCaptcha(this.captchas, tenant) : undefined;
    const view = recoveryPageView(tenant.profile, tenant.basePath, { ...state, captcha, csrfToken: reply.generateCsrf() }, m);
    return this.pages.render({ tenant, page: 'recover', title: m['recover.title'], view, scripts: [this.pages.assetUrl('identity.js')] });
  }

  private async renderLookup(
    tenant: Tenant,
    reply: FastifyReply,
    state: { values?: Record<string, string>; errors?: Record<string, string>; alert?: string; notRegistered?: boolean; result?: { accountName: string; unitName: string } },
  ): Promise<string> {
    const m = this.pages.messages(tenant);
    const captcha = await issueCaptcha(this.captchas, tenant);
    const view = lookupPageView(tenant.profile, tenant.basePath, { ...state, captcha, csrfToken: reply.generateCsrf() }, m);
    return this.pages.render({ tenant, page: 'lookup', title: m['lookup.title'], view, scripts: [this.pages.assetUrl('identity.js')] });
  }
}
