import { Body, Controller, Get, Header, Inject, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/csrf-protection';
import { requestOrigin } from '#src/audit/audit-log.js';
import { plainInput, type InputState, type InputView } from '#src/identity/pages/form-inputs.js';
import { SignedInPages } from '#src/identity/pages/hall-page.guard.js';
import { errorsOf, formText, send, userError } from '#src/identity/pages/page-support.js';
import { HallSession } from '#src/identity/sessions/hall-session.guard.js';
import { clearSessionCookie } from '#src/identity/sessions/session-cookie.js';
import { SessionService, type LiveSession } from '#src/identity/sessions/session.service.js';
import type { Messages } from '#src/portal/i18n/messages.js';
import { PageRenderer } from '#src/portal/page-renderer.js';
import { HTML } from '#src/portal/portal.controller.js';
import { permittedMenus } from '#src/authz/procurement-ability.js';
import { LocalAccountsService } from '#src/procurement/local-accounts.service.js';
import { abilityActor, ProcurementAbilitiesService } from '#src/procurement/procurement-abilities.service.js';
import { branchOptions, procurementHomeView, subAccountsView } from '#src/procurement/pages/procurement-pages.view.js';
import { ProcurementActorService, type ProcurementActor } from '#src/procurement/procurement-actor.service.js';
import { CurrentTenant } from '#src/tenancy/current-tenant.decorator.js';
import { TenantInterceptor } from '#src/tenancy/tenant.interceptor.js';
import type { Tenant } from '#src/tenancy/tenant.js';

const SUB_ACCOUNT_FIELDS = ['institutionCode', 'loginName', 'contactName', 'contactPhone'] as const;

/** The procurement subsystem's signed-in pages; without a procurement session, its own login page. */
@ApiExcludeController()
@Controller()
@UseInterceptors(TenantInterceptor)
@SignedInPages('procurement')
export class ProcurementPagesController {
  constructor(
    @Inject(PageRenderer) private readonly pages: PageRenderer,
    @Inject(ProcurementActorService) private readonly actors: ProcurementActorService,
    @Inject(LocalAccountsService) private readonly localAccounts: LocalAccountsService,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(ProcurementAbilitiesService) private readonly abilities: ProcurementAbilitiesService,
  ) {}

  @Get([':province/procurement', 'procurement'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async home(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Res() reply: FastifyReply): Promise<void> {
    const m = this.pages.messages(tenant);
    const actor = await this.actors.describe(tenant, session);
    const permitted = permittedMenus(tenant.profile, abilityActor(tenant, actor), await this.abilities.forActor(tenant, actor));
    const view = procurementHomeView(tenant.profile, tenant.basePath, actor, permitted, reply.generateCsrf(), m);
    send(reply, { status: 200, html: this.pages.render({ tenant, page: 'procurement-home', title: m['procurement.home.title'], view, subsystem: 'procurement' }) });
  }

  @Post([':province/procurement/logout', 'procurement/logout'])
  @Header('cache-control', 'no-store')
  async logout(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.sessions.end(session, requestOrigin(request));
    clearSessionCookie(reply, tenant, 'procurement');
    send(reply, { redirect: `${tenant.basePath}/hall` });
  }

  @Get([':province/procurement/sub-accounts', 'procurement/sub-accounts'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async subAccounts(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Res() reply: FastifyReply): Promise<void> {
    const actor = await this.actors.describe(tenant, session);
    send(reply, { status: 200, html: await this.renderSubAccounts(tenant, actor, reply, { values: {}, errors: {} }) });
  }

  @Post([':province/procurement/sub-accounts', 'procurement/sub-accounts'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async createSubAccount(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const actor = await this.actors.describe(tenant, session);
    const values = Object.fromEntries(SUB_ACCOUNT_FIELDS.map((name) => [name, formText(body, name)]));
    const input = { ...values, password: formText(body, 'password'), confirmPassword: formText(body, 'confirmPassword') };
    try {
      const made = await this.localAccounts.createSubAccount(tenant, actor, input, requestOrigin(request));
      send(reply, { status: 201, html: await this.renderSubAccounts(tenant, actor, reply, { values: {}, errors: {} }, { created: made.loginName }) });
    } catch (error) {
      const known = userError(error);
      if (!known) throw error;
      const errors = errorsOf(known);
      send(reply, { status: known.status, html: await this.renderSubAccounts(tenant, actor, reply, { values, errors: errors.fields }, { alert: known.message }) });
    }
  }

  private async renderSubAccounts(tenant: Tenant, actor: ProcurementActor, reply: FastifyReply, state: InputState, extra: { alert?: string; created?: string } = {}): Promise<string> {
    const m = this.pages.messages(tenant);
    const data = await this.localAccounts.subAccounts(tenant, actor);
    const inputs = subAccountInputs(m, branchOptions(data, state.values.institutionCode ?? ''), state);
    const view = subAccountsView(tenant.profile, tenant.basePath, data, { csrfToken: reply.generateCsrf(), inputs, ...extra }, m);
    return this.pages.render({ tenant, page: 'procurement-sub-accounts', title: m['procurement.subAccounts.title'], view, subsystem: 'procurement' });
  }
}

/** 添加机构子账号's fields (AH-6, JL-15): all required. */
function subAccountInputs(m: Messages, branches: Array<{ value: string; label: string; selected: boolean }>, state: InputState): InputView[] {
  return [
    plainInput({ name: 'institutionCode', label: m['procurement.subAccounts.branch'], type: 'text', control: 'select', options: branches, required: true }, state),
    plainInput({ name: 'loginName', label: m['procurement.subAccounts.loginName'], type: 'text', required: true, hint: m['procurement.subAccounts.loginNameHint'], pattern: '^[A-Za-z][A-Za-z0-9_]{3,31}$', autocomplete: 'off' }, state),
    plainInput({ name: 'password', label: m['procurement.subAccounts.password'], type: 'password', required: true, autocomplete: 'new-password' }, state),
    plainInput({ name: 'confirmPassword', label: m['procurement.subAccounts.confirmPassword'], type: 'password', required: true, autocomplete: 'new-password', confirms: 'f-password' }, state),
    plainInput({ name: 'contactName', label: m['procurement.subAccounts.contactName'], type: 'text', required: true, maxLength: 50 }, state),
    plainInput({ name: 'contactPhone', label: m['procurement.subAccounts.contactPhone'], type: 'tel', required: true, pattern: '^1[3-9]\\d{9}$', autocomplete: 'tel' }, state),
  ];
}
