import { Body, Controller, Get, Header, Inject, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/csrf-protection';
import { requestOrigin } from '#src/audit/audit-log.js';
import type { AppException } from '#src/errors/app-exception.js';
import { HallErrorCode } from '#src/hall/hall.exception.js';
import { renderUnitAccountOnly } from '#src/hall/pages/unit-account-only.js';
import { deregisteredView, unitPageView, type UnitPageState } from '#src/hall/pages/unit-page.view.js';
import { UnitManagementService } from '#src/hall/unit-management.service.js';
import { SignedInPages } from '#src/identity/pages/hall-page.guard.js';
import { errorsOf, formText, hasCode, retryAfter, send, userError } from '#src/identity/pages/page-support.js';
import { HallSession } from '#src/identity/sessions/hall-session.guard.js';
import { clearSessionCookie } from '#src/identity/sessions/session-cookie.js';
import type { LiveSession } from '#src/identity/sessions/session.service.js';
import { PageRenderer } from '#src/portal/page-renderer.js';
import { HTML } from '#src/portal/portal.controller.js';
import { CurrentTenant } from '#src/tenancy/current-tenant.decorator.js';
import { TenantInterceptor } from '#src/tenancy/tenant.interceptor.js';
import type { Tenant } from '#src/tenancy/tenant.js';

/**
 * 单位管理 → 单位信息 for the unit account, on UnitManagementService like the API: the unit's data
 * (XZ-9 where the core system lacks them), whether it transacts (JL-8), and 注销网厅账号 (JL-8),
 * after which the hall cookie is cleared and the page says it is done.
 */
@ApiExcludeController()
@Controller()
@UseInterceptors(TenantInterceptor)
@SignedInPages()
export class UnitPageController {
  constructor(
    @Inject(PageRenderer) private readonly pages: PageRenderer,
    @Inject(UnitManagementService) private readonly unitManagement: UnitManagementService,
  ) {}

  @Get([':province/hall/unit', 'hall/unit'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async page(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Res() reply: FastifyReply): Promise<void> {
    await this.render(tenant, session, reply, 200, {});
  }

  @Post([':province/hall/unit/deregistration', 'hall/unit/deregistration'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async deregister(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const m = this.pages.messages(tenant);
    const confirmation = formText(body, 'confirmation');
    try {
      const { unit } = await this.unitManagement.view(tenant, session);
      const done = await this.unitManagement.deregister(tenant, session, { password: formText(body, 'password'), confirmation }, requestOrigin(request));
      clearSessionCookie(reply, tenant, 'hall');
      const view = deregisteredView(tenant.profile, tenant.basePath, { account: unit.account, operatorsUnbound: done.operatorsUnbound }, m);
      send(reply, { status: 200, html: this.pages.render({ tenant, page: 'hall-unit-deregistered', title: m['hallUnit.done.title'], view }) });
    } catch (error) {
      const known = this.known(error, tenant, reply);
      if (!known) return;
      retryAfter(reply, known);
      await this.render(tenant, session, reply, known.status, { values: { confirmation }, errors: errorsOf(known).fields, alert: known.message });
    }
  }

  /** A user-caused error to show on the page; an operator gets the unit-account-only page instead (and undefined). */
  private known(error: unknown, tenant: Tenant, reply: FastifyReply): AppException | undefined {
    const known = userError(error);
    if (!known) throw error;
    if (!hasCode(known, HallErrorCode.UNIT_ACCOUNT_ONLY)) return known;
    send(reply, { status: known.status, html: renderUnitAccountOnly(this.pages, tenant, known.message, 'hallUnit') });
    return undefined;
  }

  private async render(tenant: Tenant, session: LiveSession, reply: FastifyReply, status: number, state: Omit<UnitPageState, 'csrfToken'>): Promise<void> {
    let unit;
    try {
      unit = await this.unitManagement.view(tenant, session);
    } catch (error) {
      if (this.known(error, tenant, reply)) throw error;
      return;
    }
    const m = this.pages.messages(tenant);
    const view = unitPageView(tenant.profile, tenant.basePath, unit, { ...state, csrfToken: reply.generateCsrf() }, m);
    send(reply, { status, html: this.pages.render({ tenant, page: 'hall-unit', title: m['hallUnit.title'], view }) });
  }
}
