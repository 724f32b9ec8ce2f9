import { Body, Controller, Get, Header, Inject, Param, Post, Query, Req, Res, UseFilters, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/csrf-protection';
import { requestOrigin } from '#src/audit/audit-log.js';
import { Public } from '#src/authz/public.decorator.js';
import {
  adminChrome,
  auditFormValues,
  auditPageView,
  certificationsPageView,
  operatorsPageView,
  overviewPageView,
  signInPageView,
  unitPageView,
  unitsPageView,
  type AdminSection,
  type FilterState,
} from '#src/administration/admin-pages.view.js';
import { AdminSignInService } from '#src/administration/admin-sign-in.service.js';
import { adminNext, AdministratorPages, CurrentAdministrator } from '#src/administration/administrator.guard.js';
import type { AdministratorRecord } from '#src/administration/administrators.repository.js';
import { parseAuditQuery, type AuditQuery, type AuditQueryInput } from '#src/administration/audit-query.js';
import { AuditTrailService } from '#src/administration/audit-trail.service.js';
import { DirectoryService, type DirectoryInput } from '#src/administration/directory.service.js';
import type { AppException } from '#src/errors/app-exception.js';
import { SignInRedirectFilter } from '#src/identity/pages/hall-page.guard.js';
import { errorsOf, formText, issueCaptcha, retryAfter, send, userError } from '#src/identity/pages/page-support.js';
import { clearSessionCookie, setSessionCookie } from '#src/identity/sessions/session-cookie.js';
import { sessionCookieName, SessionService } from '#src/identity/sessions/session.service.js';
import { PageRenderer } from '#src/portal/page-renderer.js';
import { HTML } from '#src/portal/portal.controller.js';
import { CurrentTenant } from '#src/tenancy/current-tenant.decorator.js';
import { TenantInterceptor } from '#src/tenancy/tenant.interceptor.js';
import type { Tenant } from '#src/tenancy/tenant.js';
import { CaptchaService } from '#src/verification/captcha.service.js';

/**
 * The way in: /{id}/admin is the overview for a signed-in administrator of this province and the
 * sign-in form for anyone else; the form posts to /{id}/admin/login, and 退出登录 to …/logout.
 */
@ApiExcludeController()
@Controller()
@UseInterceptors(TenantInterceptor)
@UseFilters(SignInRedirectFilter)
export class AdminEntryPageController {
  constructor(
    @Inject(PageRenderer) private readonly pages: PageRenderer,
    @Inject(AdminSignInService) private readonly signIn: AdminSignInService,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(CaptchaService) private readonly captchas: CaptchaService,
    @Inject(DirectoryService) private readonly directory: DirectoryService,
  ) {}

  @Public()
  @Get([':province/admin', 'admin'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async entry(@CurrentTenant() tenant: Tenant, @Query('next') next: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const administrator = await this.signedIn(tenant, request);
    if (!administrator) {
      send(reply, { status: 200, html: await this.renderSignIn(tenant, reply, { next: adminNext(next, tenant) }) });
      return;
    }
    const m = this.pages.messages(tenant);
    const chrome = adminChrome(tenant.profile, tenant.basePath, administrator, 'overview', reply.generateCsrf(), m);
    const view = overviewPageView(tenant.profile, tenant.basePath, chrome, await this.directory.counts(tenant), m);
    send(reply, { status: 200, html: this.pages.render({ tenant, page: 'admin-overview', title: m['admin.overview.title'], view }) });
  }

  @Public()
  @Post([':province/admin/login', 'admin/login'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async submit(@CurrentTenant() tenant: Tenant, @Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const read = (name: string) => formText(body, name);
    const next = adminNext(read('next'), tenant);
    const values = { account: read('account') };
    if (read('action') === 'captcha') {
      send(reply, { status: 200, html: await this.renderSignIn(tenant, reply, { next, values }) });
      return;
    }
    try {
      const { opened } = await this.signIn.signIn(tenant, { account: read('account'), password: read('password'), captchaId: read('captchaId'), captcha: read('captcha') }, requestOrigin(request), request.cookies[sessionCookieName('admin', tenant.provinceId)]);
      setSessionCookie(reply, tenant, opened);
      send(reply, { redirect: next ?? `${tenant.basePath}/admin` });
    } catch (error) {
      const known = userError(error);
      if (!known) throw error;
      retryAfter(reply, known);
      const errors = errorsOf(known);
      send(reply, { status: known.status, html: await this.renderSignIn(tenant, reply, { next, values, errors: errors.fields, alert: known.message }) });
    }
  }

  /** POST with the page's CSRF token: ends the admin session (if any) and shows the sign-in form. */
  @Public()
  @Post([':province/admin/logout', 'admin/logout'])
  @Header('cache-control', 'no-store')
  async logout(@CurrentTenant() tenant: Tenant, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const session = await this.sessions.read(tenant, 'admin', request.cookies[sessionCookieName('admin', tenant.provinceId)]);
    if (session) await this.signIn.signOut(session, requestOrigin(request));
    clearSessionCookie(reply, tenant, 'admin');
    send(reply, { redirect: `${tenant.basePath}/admin` });
  }

  private async signedIn(tenant: Tenant, request: FastifyRequest): Promise<AdministratorRecord | undefined> {
    const session = await this.sessions.read(tenant, 'admin', request.cookies[sessionCookieName('admin', tenant.provinceId)]);
    return session ? this.signIn.current(tenant, session).catch(() => undefined) : undefined;
  }

  private async renderSignIn(tenant: Tenant, reply: FastifyReply, state: { next?: string | undefined; values?: Record<string, string>; errors?: Record<string, string>; alert?: string | undefined }): Promise<string> {
    const m = this.pages.messages(tenant);
    const captcha = await issueCaptcha(this.captchas, tenant);
    const view = signInPageView(tenant.profile, tenant.basePath, { ...state, captcha, csrfToken: reply.generateCsrf() }, m);
    return this.pages.render({ tenant, page: 'admin-sign-in', title: m['admin.signIn.title'], view });
  }
}

/** The signed-in pages: lists of the province's units, operators and certifications, one unit, the audit trail. */
@ApiExcludeController()
@Controller()
@UseInterceptors(TenantInterceptor)
@AdministratorPages()
export class AdminPagesController {
  constructor(
    @Inject(PageRenderer) private readonly pages: PageRenderer,
    @Inject(DirectoryService) private readonly directory: DirectoryService,
    @Inject(AuditTrailService) private readonly trail: AuditTrailService,
  ) {}

  @Get([':province/admin/units', 'admin/units'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async units(@CurrentTenant() tenant: Tenant, @CurrentAdministrator() administrator: AdministratorRecord, @Query() query: DirectoryInput, @Res() reply: FastifyReply): Promise<void> {
    const m = this.pages.messages(tenant);
    const filters = filterState(query, ['q']);
    const paged = await this.directory.units(tenant, query).catch((error: unknown) => refused(error, filters));
    const view = unitsPageView(tenant.basePath, this.chrome(tenant, administrator, 'units', reply), paged, filters, m);
    this.show(tenant, reply, 'admin-units', m['admin.units.title'], view, filters);
  }

  @Get([':province/admin/units/:unitId', 'admin/units/:unitId'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async unit(@CurrentTenant() tenant: Tenant, @CurrentAdministrator() administrator: AdministratorRecord, @Param('unitId') unitId: string, @Res() reply: FastifyReply): Promise<void> {
    const m = this.pages.messages(tenant);
    // Another province's unit is not found here (404, the error page), like one that never existed.
    const unit = await this.directory.unit(tenant, unitId);
    const view = unitPageView(tenant.basePath, this.chrome(tenant, administrator, 'units', reply), unit, m);
    send(reply, { status: 200, html: this.pages.render({ tenant, page: 'admin-unit', title: unit.name, view }) });
  }

  @Get([':province/admin/operators', 'admin/operators'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async operators(@CurrentTenant() tenant: Tenant, @CurrentAdministrator() administrator: AdministratorRecord, @Query() query: DirectoryInput, @Res() reply: FastifyReply): Promise<void> {
    const m = this.pages.messages(tenant);
    const filters = filterState(query, ['q', 'state']);
    const paged = await this.directory.operators(tenant, query).catch((error: unknown) => refused(error, filters));
    const view = operatorsPageView(tenant.basePath, this.chrome(tenant, administrator, 'operators', reply), paged, filters, m);
    this.show(tenant, reply, 'admin-operators', m['admin.operators.title'], view, filters);
  }

  @Get([':province/admin/certifications', 'admin/certifications'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async certifications(@CurrentTenant() tenant: Tenant, @CurrentAdministrator() administrator: AdministratorRecord, @Query() query: DirectoryInput, @Res() reply: FastifyReply): Promise<void> {
    const m = this.pages.messages(tenant);
    const filters = filterState(query, ['q', 'roleType']);
    const paged = await this.directory.certifications(tenant, query).catch((error: unknown) => refused(error, filters));
    const view = certificationsPageView(tenant.profile, tenant.basePath, this.chrome(tenant, administrator, 'certifications', reply), paged, filters, m);
    this.show(tenant, reply, 'admin-certifications', m['admin.certifications.title'], view, filters);
  }

  @Get([':province/admin/audit', 'admin/audit'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async audit(@CurrentTenant() tenant: Tenant, @CurrentAdministrator() administrator: AdministratorRecord, @Query() query: AuditQueryInput & Record<string, unknown>, @Res() reply: FastifyReply): Promise<void> {
    const m = this.pages.messages(tenant);
    let parsed: AuditQuery | undefined;
    const filters: FilterState = { values: auditFormValues(query, undefined), errors: {} };
    try {
      parsed = parseAuditQuery({ ...query, limit: undefined }, 'beijing-local');
    } catch (error) {
      refused(error, filters);
    }
    filters.values = auditFormValues(query, parsed);
    const page = parsed && { query: parsed, ...(await this.trail.page(tenant, parsed)) };
    const api = `/api/v1/provinces/${tenant.provinceId}/admin`;
    const view = auditPageView(tenant.basePath, api, this.chrome(tenant, administrator, 'audit', reply), page, filters, m);
    this.show(tenant, reply, 'admin-audit', m['admin.audit.title'], view, filters);
  }

  private chrome(tenant: Tenant, administrator: AdministratorRecord, section: AdminSection, reply: FastifyReply) {
    return adminChrome(tenant.profile, tenant.basePath, administrator, section, reply.generateCsrf(), this.pages.messages(tenant));
  }

  /** A filter the service refused shows the page again with the errors beside the inputs (400). */
  private show(tenant: Tenant, reply: FastifyReply, page: string, title: string, view: unknown, filters: FilterState): void {
    send(reply, { status: filters.alert ? 400 : 200, html: this.pages.render({ tenant, page, title, view }) });
  }
}

function filterState(query: DirectoryInput, names: readonly string[]): FilterState {
  const values: Record<string, string> = {};
  for (const name of names) values[name] = formText(query, name).trim();
  return { values, errors: {} };
}

/** Records a user's mistake (4xx) in the filter state; anything else goes on up. */
function refused(error: unknown, filters: FilterState): undefined {
  const known: AppException | undefined = userError(error);
  if (!known) throw error;
  filters.errors = errorsOf(known).fields;
  filters.alert = known.message;
  return undefined;
}
