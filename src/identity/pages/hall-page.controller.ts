import { Body, Controller, Get, Header, Inject, Post, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/csrf-protection';
import { requestOrigin } from '#src/audit/audit-log.js';
import { SignedInPages } from '#src/identity/pages/hall-page.guard.js';
import { formText, safeNext, send, userError, withNext } from '#src/identity/pages/page-support.js';
import { chooseInstitutionView, chooseUnitView, hallPageView } from '#src/identity/pages/session-pages.view.js';
import { HallSession } from '#src/identity/sessions/hall-session.guard.js';
import type { LiveSession } from '#src/identity/sessions/session.service.js';
import { SignedInActorService, type SignedInActor } from '#src/identity/sessions/signed-in-actor.service.js';
import { PageRenderer } from '#src/portal/page-renderer.js';
import { HTML } from '#src/portal/portal.controller.js';
import { CurrentTenant } from '#src/tenancy/current-tenant.decorator.js';
import { TenantInterceptor } from '#src/tenancy/tenant.interceptor.js';
import type { Tenant } from '#src/tenancy/tenant.js';

/**
 * The signed-in pages of the hall: the landing page, the unit chooser (NM-4, AH-3) and the final
 * institution choice (NM-5). Without a hall session, HallPageGuard sends the visitor to log in.
 */
@ApiExcludeController()
@Controller()
@UseInterceptors(TenantInterceptor)
@SignedInPages()
export class HallPageController {
  constructor(
    @Inject(PageRenderer) private readonly pages: PageRenderer,
    @Inject(SignedInActorService) private readonly actors: SignedInActorService,
  ) {}

  @Get([':province/hall', 'hall'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async hall(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Res() reply: FastifyReply): Promise<void> {
    const actor = await this.actors.describe(tenant, session);
    const pending = this.pendingChoice(tenant, actor, undefined);
    if (pending) {
      send(reply, { redirect: pending });
      return;
    }
    const m = this.pages.messages(tenant);
    const view = hallPageView(tenant.profile, tenant.basePath, actor, reply.generateCsrf(), m);
    send(reply, { status: 200, html: this.pages.render({ tenant, page: 'hall', title: m['hall.title'], view }) });
  }

  @Get([':province/choose-unit', 'choose-unit'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async unitForm(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Query('next') next: unknown, @Res() reply: FastifyReply): Promise<void> {
    const actor = await this.actors.describe(tenant, session);
    // A unit account is its own unit: nothing to choose.
    if (actor.kind !== 'operator') {
      send(reply, { redirect: `${tenant.basePath}/hall` });
      return;
    }
    send(reply, { status: 200, html: this.renderUnits(tenant, actor, reply, { next: safeNext(next, tenant) }) });
  }

  @Post([':province/choose-unit', 'choose-unit'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async chooseUnit(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const m = this.pages.messages(tenant);
    const next = safeNext(formText(body, 'next'), tenant);
    const unitId = formText(body, 'unitId');
    if (!unitId) {
      const actor = await this.actors.describe(tenant, session);
      send(reply, { status: 400, html: this.renderUnits(tenant, actor, reply, { next, error: m['chooseUnit.required'] }) });
      return;
    }
    try {
      const actor = await this.actors.chooseUnit(tenant, session, unitId, requestOrigin(request));
      send(reply, { redirect: this.pendingChoice(tenant, actor, next) ?? next ?? `${tenant.basePath}/hall` });
    } catch (error) {
      const known = userError(error);
      if (!known) throw error;
      const actor = await this.actors.describe(tenant, session);
      send(reply, { status: known.status, html: this.renderUnits(tenant, actor, reply, { next, error: known.fields?.unitId ?? known.message }) });
    }
  }

  @Get([':province/choose-institution', 'choose-institution'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async institutionForm(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Query('next') next: unknown, @Res() reply: FastifyReply): Promise<void> {
    const actor = await this.actors.describe(tenant, session);
    if (!actor.mustChooseInstitution) {
      send(reply, { redirect: this.pendingChoice(tenant, actor, undefined) ?? `${tenant.basePath}/hall` });
      return;
    }
    send(reply, { status: 200, html: this.renderInstitutions(tenant, actor, reply, { next: safeNext(next, tenant) }) });
  }

  @Post([':province/choose-institution', 'choose-institution'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async chooseInstitution(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const m = this.pages.messages(tenant);
    const next = safeNext(formText(body, 'next'), tenant);
    const code = formText(body, 'institutionCode');
    const confirmed = formText(body, 'confirm') === 'yes';
    if (!code || !confirmed) {
      const actor = await this.actors.describe(tenant, session);
      const state = { next, chosen: code, error: code ? undefined : m['chooseInstitution.required'], confirmError: confirmed ? undefined : m['chooseInstitution.confirmRequired'] };
      send(reply, { status: 400, html: this.renderInstitutions(tenant, actor, reply, state) });
      return;
    }
    try {
      await this.actors.chooseInstitution(tenant, session, code, requestOrigin(request));
      send(reply, { redirect: next ?? `${tenant.basePath}/hall` });
    } catch (error) {
      const known = userError(error);
      if (!known) throw error;
      const actor = await this.actors.describe(tenant, session);
      if (!actor.mustChooseInstitution) {
        // Chosen meanwhile (another tab): the choice is final, so the hall shows it.
        send(reply, { redirect: `${tenant.basePath}/hall` });
        return;
      }
      send(reply, { status: known.status, html: this.renderInstitutions(tenant, actor, reply, { next, chosen: code, error: known.fields?.institutionCode, alert: known.message }) });
    }
  }

  /** Where an actor must go before the hall: the unit chooser, then the institution choice. */
  private pendingChoice(tenant: Tenant, actor: SignedInActor, next: string | undefined): string | undefined {
    if (actor.mustChooseUnit) return withNext(`${tenant.basePath}/choose-unit`, next);
    if (actor.mustChooseInstitution) return withNext(`${tenant.basePath}/choose-institution`, next);
    return undefined;
  }

  private renderUnits(tenant: Tenant, actor: SignedInActor, reply: FastifyReply, state: { next?: string | undefined; error?: string | undefined }): string {
    const m = this.pages.messages(tenant);
    const view = chooseUnitView(tenant.profile, tenant.basePath, actor, { ...state, csrfToken: reply.generateCsrf() }, m);
    return this.pages.render({ tenant, page: 'choose-unit', title: m['chooseUnit.title'], view });
  }

  private renderInstitutions(
    tenant: Tenant,
    actor: SignedInActor,
    reply: FastifyReply,
    state: { next?: string | undefined; chosen?: string | undefined; error?: string | undefined; confirmError?: string | undefined; alert?: string | undefined },
  ): string {
    const m = this.pages.messages(tenant);
    const view = chooseInstitutionView(tenant.profile, tenant.basePath, actor, { ...state, csrfToken: reply.generateCsrf() }, m);
    return this.pages.render({ tenant, page: 'choose-institution', title: m['chooseInstitution.title'], view });
  }
}
