import { Body, Controller, Header, Inject, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/csrf-protection';
import { requestOrigin } from '#src/audit/audit-log.js';
import { Public } from '#src/authz/public.decorator.js';
import { HallErrorCode } from '#src/hall/hall.exception.js';
import { SignedInPages } from '#src/identity/pages/hall-page.guard.js';
import { formText, hasCode, send, userError } from '#src/identity/pages/page-support.js';
import { HallSession } from '#src/identity/sessions/hall-session.guard.js';
import { setSessionCookie } from '#src/identity/sessions/session-cookie.js';
import { sessionCookieName, type LiveSession } from '#src/identity/sessions/session.service.js';
import { PageRenderer } from '#src/portal/page-renderer.js';
import { HTML } from '#src/portal/portal.controller.js';
import { HandoffService } from '#src/procurement/handoff.service.js';
import { enterPageView } from '#src/procurement/pages/procurement-pages.view.js';
import { CurrentTenant } from '#src/tenancy/current-tenant.decorator.js';
import { TenantInterceptor } from '#src/tenancy/tenant.interceptor.js';
import type { Tenant } from '#src/tenancy/tenant.js';

/**
 * 招采企业服务 → 招采系统 as pages (N-5, XZ-7, JL-12, HN-2, AH-4): the hall's button posts here, the
 * page carries the ticket in a form that submits itself (handoff.js; a button without JS) to
 * `/{id}/procurement/enter`, which opens the procurement session and goes to its home.
 */
@ApiExcludeController()
@Controller()
@UseInterceptors(TenantInterceptor)
export class HandoffPageController {
  constructor(
    @Inject(PageRenderer) private readonly pages: PageRenderer,
    @Inject(HandoffService) private readonly handoff: HandoffService,
  ) {}

  @SignedInPages()
  @Post([':province/hall/procurement', 'hall/procurement'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async issue(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    try {
      const ticket = await this.handoff.issue(tenant, session, requestOrigin(request));
      send(reply, { status: 200, html: this.render(tenant, reply, { ticket }) });
    } catch (error) {
      const known = userError(error);
      if (!known) throw error;
      // An operator who has not chosen the unit yet chooses it first (NM-4, AH-3).
      if (hasCode(known, HallErrorCode.UNIT_NOT_CHOSEN)) {
        send(reply, { redirect: `${tenant.basePath}/choose-unit` });
        return;
      }
      send(reply, { status: known.status, html: this.render(tenant, reply, { refused: { message: known.message, code: known.code } }) });
    }
  }

  /** Public: the ticket is the credential, and the page's CSRF token keeps others' tickets out (login CSRF). */
  @Public()
  @Post([':province/procurement/enter', 'procurement/enter'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async enter(@CurrentTenant() tenant: Tenant, @Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    try {
      const opened = await this.handoff.exchange(tenant, formText(body, 'ticket'), requestOrigin(request), request.cookies[sessionCookieName('procurement', tenant.provinceId)]);
      setSessionCookie(reply, tenant, opened);
      send(reply, { redirect: `${tenant.basePath}/procurement/` });
    } catch (error) {
      const known = userError(error);
      if (!known) throw error;
      send(reply, { status: known.status, html: this.render(tenant, reply, { refused: { message: known.message, code: known.code } }) });
    }
  }

  private render(tenant: Tenant, reply: FastifyReply, state: Omit<Parameters<typeof enterPageView>[1], 'csrfToken'>): string {
    const m = this.pages.messages(tenant);
    const view = enterPageView(tenant.basePath, { ...state, csrfToken: reply.generateCsrf() }, m);
    return this.pages.render({ tenant, page: 'procurement-enter', title: m['procurement.enter.title'], view, subsystem: 'procurement', scripts: state.ticket ? [this.pages.assetUrl('handoff.js')] : [] });
  }
}
