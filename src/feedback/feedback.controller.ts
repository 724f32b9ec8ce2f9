import { Body, Controller, Get, Header, Inject, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/csrf-protection';
import { Public } from '#src/authz/public.decorator.js';
import { feedbackPageView, type FeedbackFormState } from '#src/feedback/feedback-page.view.js';
import { FeedbackService } from '#src/feedback/feedback.service.js';
import { PageRenderer } from '#src/portal/page-renderer.js';
import type { PortalFormBody } from '#src/portal/portal-form.js';
import { HTML } from '#src/portal/portal.controller.js';
import { CurrentTenant } from '#src/tenancy/current-tenant.decorator.js';
import { TenantInterceptor } from '#src/tenancy/tenant.interceptor.js';
import type { Tenant } from '#src/tenancy/tenant.js';

const submittedAtFormat = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'long', timeStyle: 'short' });

/** The feedback page of a province: its form (AH-8), or where to turn when it has none. */
@ApiExcludeController()
@Controller()
@UseInterceptors(TenantInterceptor)
export class FeedbackController {
  constructor(
    @Inject(PageRenderer) private readonly pages: PageRenderer,
    @Inject(FeedbackService) private readonly feedback: FeedbackService,
  ) {}

  @Public()
  @Get([':province/feedback', 'feedback'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  form(@CurrentTenant() tenant: Tenant, @Res({ passthrough: true }) reply: FastifyReply): string {
    return this.renderForm(tenant, reply, {});
  }

  @Public()
  @Post([':province/feedback', 'feedback'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async submit(@CurrentTenant() tenant: Tenant, @Body() body: PortalFormBody | undefined, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const m = this.pages.messages(tenant);
    const outcome = await this.feedback.submit(tenant, body, request.ip, m);
    if (!outcome.ok) {
      void reply.status(422);
      return this.renderForm(tenant, reply, { values: outcome.values, errors: outcome.errors });
    }
    void reply.status(201);
    const { stored } = outcome;
    return this.pages.render({
      tenant,
      page: 'feedback-received',
      title: m['feedback.received.title'],
      current: 'feedback',
      view: { reference: stored.reference, submittedAt: submittedAtFormat.format(stored.submittedAt), attachments: stored.attachments.length },
    });
  }

  private renderForm(tenant: Tenant, reply: FastifyReply, state: Omit<FeedbackFormState, 'csrfToken'>): string {
    const m = this.pages.messages(tenant);
    const view = feedbackPageView(tenant.profile, tenant.basePath, { ...state, csrfToken: reply.generateCsrf() }, m);
    return this.pages.render({ tenant, page: 'feedback', title: m['feedback.title'], current: 'feedback', view });
  }
}
