import { Body, Controller, Get, Header, Inject, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/csrf-protection';
import { requestOrigin } from '#src/audit/audit-log.js';
import { certificationPageView } from '#src/hall/certification-page.view.js';
import { CertificationService, type HallOverview } from '#src/hall/certification.service.js';
import { HallErrorCode } from '#src/hall/hall.exception.js';
import { SignedInPages } from '#src/identity/pages/hall-page.guard.js';
import { formText, hasCode, send, userError } from '#src/identity/pages/page-support.js';
import { HallSession } from '#src/identity/sessions/hall-session.guard.js';
import type { LiveSession } from '#src/identity/sessions/session.service.js';
import { PageRenderer } from '#src/portal/page-renderer.js';
import { HTML } from '#src/portal/portal.controller.js';
import { CurrentTenant } from '#src/tenancy/current-tenant.decorator.js';
import { TenantInterceptor } from '#src/tenancy/tenant.interceptor.js';
import type { Tenant } from '#src/tenancy/tenant.js';

/** The 角色认证 page (XZ-6): pick the role, 去认证, then 返回服务大厅. */
@ApiExcludeController()
@Controller()
@UseInterceptors(TenantInterceptor)
@SignedInPages()
export class CertificationPageController {
  constructor(
    @Inject(PageRenderer) private readonly pages: PageRenderer,
    @Inject(CertificationService) private readonly certifications: CertificationService,
  ) {}

  @Get([':province/certify', 'certify'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async form(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Res() reply: FastifyReply): Promise<void> {
    const overview = await this.overviewOrChooser(tenant, session, reply);
    if (overview) send(reply, { status: 200, html: this.render(tenant, overview, reply) });
  }

  @Post([':province/certify', 'certify'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async certify(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const m = this.pages.messages(tenant);
    if (!formText(body, 'roleType')) {
      const overview = await this.overviewOrChooser(tenant, session, reply);
      if (overview) send(reply, { status: 400, html: this.render(tenant, overview, reply, m['certify.required']) });
      return;
    }
    try {
      await this.certifications.certify(tenant, session, { roleType: formText(body, 'roleType') }, requestOrigin(request));
      send(reply, { redirect: `${tenant.basePath}/certify` });
    } catch (error) {
      const known = userError(error);
      if (!known) throw error;
      const overview = await this.overviewOrChooser(tenant, session, reply);
      if (overview) send(reply, { status: known.status, html: this.render(tenant, overview, reply, known.message) });
    }
  }

  /** The overview, or (an operator who has not chosen a unit) a redirect to the chooser. */
  private async overviewOrChooser(tenant: Tenant, session: LiveSession, reply: FastifyReply): Promise<HallOverview | undefined> {
    try {
      return await this.certifications.overview(tenant, session);
    } catch (error) {
      const known = userError(error);
      if (!known || !hasCode(known, HallErrorCode.UNIT_NOT_CHOSEN)) throw error;
      send(reply, { redirect: `${tenant.basePath}/choose-unit` });
      return undefined;
    }
  }

  private render(tenant: Tenant, overview: HallOverview, reply: FastifyReply, error?: string): string {
    const m = this.pages.messages(tenant);
    const view = certificationPageView(tenant.profile, tenant.basePath, overview, { csrfToken: reply.generateCsrf(), error }, m);
    return this.pages.render({ tenant, page: 'certify', title: m['certify.title'], view });
  }
}
