import { Body, Controller, Get, Header, Inject, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/csrf-protection';
import { adminChrome } from '#src/administration/admin-pages.view.js';
import { AdministratorPages, CurrentAdministrator } from '#src/administration/administrator.guard.js';
import type { AdministratorRecord } from '#src/administration/administrators.repository.js';
import { requestOrigin } from '#src/audit/audit-log.js';
import { plainInput, type InputState } from '#src/identity/pages/form-inputs.js';
import { errorsOf, formText, send, userError } from '#src/identity/pages/page-support.js';
import { formatMessage } from '#src/portal/i18n/messages.js';
import { PageRenderer } from '#src/portal/page-renderer.js';
import { HTML } from '#src/portal/portal.controller.js';
import { LocalAccountsService } from '#src/procurement/local-accounts.service.js';
import { sourceRefs } from '#src/portal/views/sources.js';
import { CurrentTenant } from '#src/tenancy/current-tenant.decorator.js';
import { TenantInterceptor } from '#src/tenancy/tenant.interceptor.js';
import type { Tenant } from '#src/tenancy/tenant.js';

/** AH-7 for the province administrator: the special institutions of the registry and their accounts. */
@ApiExcludeController()
@Controller()
@UseInterceptors(TenantInterceptor)
@AdministratorPages()
export class SpecialInstitutionsPageController {
  constructor(
    @Inject(PageRenderer) private readonly pages: PageRenderer,
    @Inject(LocalAccountsService) private readonly localAccounts: LocalAccountsService,
  ) {}

  @Get([':province/admin/special-institutions', 'admin/special-institutions'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async list(@CurrentTenant() tenant: Tenant, @CurrentAdministrator() administrator: AdministratorRecord, @Res() reply: FastifyReply): Promise<void> {
    send(reply, { status: 200, html: await this.render(tenant, administrator, reply, { values: {}, errors: {} }) });
  }

  @Post([':province/admin/special-institutions', 'admin/special-institutions'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async create(@CurrentTenant() tenant: Tenant, @CurrentAdministrator() administrator: AdministratorRecord, @Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const values = { institutionCode: formText(body, 'institutionCode'), loginName: formText(body, 'loginName') };
    try {
      const made = await this.localAccounts.createSpecialAccount(tenant, administrator.id, values, requestOrigin(request));
      const m = this.pages.messages(tenant);
      send(reply, { status: 201, html: await this.render(tenant, administrator, reply, { values: {}, errors: {} }, { created: formatMessage(m['admin.special.created'], { loginName: made.loginName, password: made.password }) }) });
    } catch (error) {
      const known = userError(error);
      if (!known) throw error;
      send(reply, { status: known.status, html: await this.render(tenant, administrator, reply, { values, errors: errorsOf(known).fields }, { alert: known.message }) });
    }
  }

  private async render(tenant: Tenant, administrator: AdministratorRecord, reply: FastifyReply, state: InputState, extra: { alert?: string; created?: string } = {}): Promise<string> {
    const m = this.pages.messages(tenant);
    const csrfToken = reply.generateCsrf();
    const { institutions, accounts } = await this.localAccounts.specialInstitutions(tenant);
    const taken = new Set(accounts.map((a) => a.institutionCode));
    const open = institutions.filter((i) => !taken.has(i.code));
    const kindName = new Map<string, string>(institutions.map((i) => [i.kind, i.kindName]));
    const inputs = [
      plainInput({ name: 'institutionCode', label: m['admin.special.institution'], type: 'text', control: 'select', required: true, options: open.map((i) => ({ value: i.code, label: `${i.name}（${i.kindName}，${i.code}）`, selected: i.code === state.values.institutionCode })) }, state),
      plainInput({ name: 'loginName', label: m['admin.special.loginName'], type: 'text', required: true, hint: m['admin.special.loginNameHint'], pattern: '^[A-Za-z][A-Za-z0-9_]{3,31}$', autocomplete: 'off' }, state),
    ];
    const view = {
      chrome: adminChrome(tenant.profile, tenant.basePath, administrator, 'special-institutions', csrfToken, m),
      accounts: accounts.map((a) => ({ name: a.name, code: a.institutionCode, kind: kindName.get(a.institutionKind) ?? a.institutionKind, loginName: a.loginName, entered: a.firstEnteredAt?.slice(0, 10) ?? m['admin.special.notYet'] })),
      form: open.length > 0 ? { action: `${tenant.basePath}/admin/special-institutions`, csrfToken, inputs, alert: extra.alert } : undefined,
      created: extra.created,
      loginHref: `${tenant.basePath}/procurement/login`,
      sources: sourceRefs(tenant.profile, ...tenant.profile.institutions.special.map((s) => s.source)),
    };
    return this.pages.render({ tenant, page: 'admin-special-institutions', title: m['admin.special.title'], view });
  }
}
