import { Body, Controller, Get, Header, Inject, Param, Post, Query, Req, Res, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/csrf-protection';
import { requestOrigin } from '#src/audit/audit-log.js';
import { Public } from '#src/authz/public.decorator.js';
import { CaProofs } from '#src/ca/ca-proofs.service.js';
import { proofFields, type IssuedChallenge } from '#src/ca/pages/ca-proof.view.js';
import { IdentityErrorCode } from '#src/identity/identity.exception.js';
import { LoginService } from '#src/identity/login/login.service.js';
import { QrLoginService } from '#src/identity/login/qr-login.service.js';
import { HallPageGuard, QrPageGuard, SignInRedirectFilter } from '#src/identity/pages/hall-page.guard.js';
import { chosenMethod, loginPageView, type LoginPageState, type QrTicketView } from '#src/identity/pages/login-page.view.js';
import { errorsOf, formText, hasCode, issueCaptcha, retryAfter, safeNext, send, svgDataUri, userError, withNext } from '#src/identity/pages/page-support.js';
import { qrConfirmView } from '#src/identity/pages/session-pages.view.js';
import { HallSession } from '#src/identity/sessions/hall-session.guard.js';
import { clearSessionCookie, setSessionCookie } from '#src/identity/sessions/session-cookie.js';
import { sessionCookieName, SessionService, type LiveSession } from '#src/identity/sessions/session.service.js';
import { SignedInActorService } from '#src/identity/sessions/signed-in-actor.service.js';
import { PageRenderer } from '#src/portal/page-renderer.js';
import { HTML } from '#src/portal/portal.controller.js';
import { CurrentTenant } from '#src/tenancy/current-tenant.decorator.js';
import { TenantInterceptor } from '#src/tenancy/tenant.interceptor.js';
import type { Tenant } from '#src/tenancy/tenant.js';
import { CaptchaService } from '#src/verification/captcha.service.js';

/**
 * The login page (one tab per enabled method), logout, and the QR confirmation page that the QR
 * code encodes (HN-1; a signed-in device stands in for the national app). Login calls the same
 * LoginService as the API, rotates the session cookie, and sends the person on: to choose a unit
 * (NM-4, AH-3), an institution (NM-5), back to `next`, or to the hall.
 */
@ApiExcludeController()
@Controller()
@UseInterceptors(TenantInterceptor)
@UseFilters(SignInRedirectFilter)
export class LoginPageController {
  constructor(
    @Inject(PageRenderer) private readonly pages: PageRenderer,
    @Inject(LoginService) private readonly logins: LoginService,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(SignedInActorService) private readonly actors: SignedInActorService,
    @Inject(QrLoginService) private readonly qr: QrLoginService,
    @Inject(CaptchaService) private readonly captchas: CaptchaService,
    @Inject(CaProofs) private readonly caProofs: CaProofs,
  ) {}

  @Public()
  @Get([':province/login', 'login'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async form(@CurrentTenant() tenant: Tenant, @Query('method') method: unknown, @Query('next') next: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const chosen = chosenMethod(tenant.profile, typeof method === 'string' ? method : '');
    const qr = chosen.id === 'qr' ? await this.issueQr(tenant, request) : undefined;
    const ca = chosen.id === 'ca' ? await this.issueCa(tenant) : undefined;
    send(reply, { status: 200, html: await this.renderForm(tenant, request, reply, { method: chosen, next: safeNext(next, tenant), qr, ca }) });
  }

  @Public()
  @Post([':province/login', 'login'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async submit(@CurrentTenant() tenant: Tenant, @Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const read = (name: string) => formText(body, name);
    const method = chosenMethod(tenant.profile, read('method'));
    const next = safeNext(read('next'), tenant);
    const values = { account: read('account'), certificate: read('certificate') };
    if (read('action') === 'captcha') {
      send(reply, { status: 200, html: await this.renderForm(tenant, request, reply, { method, next, values }) });
      return;
    }
    const loginBody =
      method.id === 'qr'
        ? { method: 'qr', ticketId: read('ticketId'), pollToken: read('pollToken') }
        : method.id === 'ca'
          ? { method: 'ca', ...proofFields(read) }
          : { method: read('method') || method.id, account: read('account'), password: read('password'), captchaId: read('captchaId'), captcha: read('captcha') };
    try {
      const cookie = request.cookies[sessionCookieName('hall', tenant.provinceId)];
      const opened = await this.logins.login(tenant, loginBody, requestOrigin(request), cookie);
      setSessionCookie(reply, tenant, opened);
      const actor = await this.actors.describe(tenant, { idHash: Buffer.alloc(0), data: opened.data });
      const base = tenant.basePath;
      const target = actor.mustChooseUnit ? withNext(`${base}/choose-unit`, next) : actor.mustChooseInstitution ? withNext(`${base}/choose-institution`, next) : (next ?? `${base}/hall`);
      send(reply, { redirect: target });
    } catch (error) {
      const known = userError(error);
      if (!known) throw error;
      retryAfter(reply, known);
      let qr: QrTicketView | undefined;
      if (method.id === 'qr') {
        // Not yet approved: the same code stays on screen, so a phone that is about to confirm still can.
        qr = hasCode(known, IdentityErrorCode.QR_TICKET_PENDING) ? await this.sameQr(tenant, request, read('ticketId'), read('pollToken')) : undefined;
        qr ??= await this.issueQr(tenant, request);
      }
      // The challenge was spent by the attempt: a new one to sign.
      const ca = method.id === 'ca' ? await this.issueCa(tenant) : undefined;
      const errors = errorsOf(known);
      send(reply, { status: known.status, html: await this.renderForm(tenant, request, reply, { method, next, values, errors: errors.fields, alert: known.message, qr, ca }) });
    }
  }

  /** Logout (POST with the page's CSRF token): ends the session, clears the cookie, back to the hall home. */
  @Public()
  @Post([':province/logout', 'logout'])
  @Header('cache-control', 'no-store')
  async logout(@CurrentTenant() tenant: Tenant, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const session = await this.sessions.read(tenant, 'hall', request.cookies[sessionCookieName('hall', tenant.provinceId)]);
    if (session) await this.sessions.end(session, requestOrigin(request));
    clearSessionCookie(reply, tenant, 'hall');
    send(reply, { redirect: `${tenant.basePath}/` });
  }

  /** What the QR code opens on a signed-in device: who will be signed in, and 确认登录. */
  @UseGuards(QrPageGuard, HallPageGuard)
  @Get([':province/qr/:ticketId', 'qr/:ticketId'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async confirmPage(@CurrentTenant() tenant: Tenant, @Param('ticketId') ticketId: string, @HallSession() session: LiveSession, @Res() reply: FastifyReply): Promise<void> {
    send(reply, { status: 200, html: await this.renderConfirm(tenant, ticketId, session, reply, { canConfirm: true }) });
  }

  @UseGuards(QrPageGuard, HallPageGuard)
  @Post([':province/qr/:ticketId', 'qr/:ticketId'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async confirm(@CurrentTenant() tenant: Tenant, @Param('ticketId') ticketId: string, @HallSession() session: LiveSession, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const m = this.pages.messages(tenant);
    try {
      await this.qr.approve(tenant, ticketId, session, requestOrigin(request));
    } catch (error) {
      const known = userError(error);
      if (!known) throw error;
      send(reply, { status: known.status, html: await this.renderConfirm(tenant, ticketId, session, reply, { canConfirm: false, alert: known.message }) });
      return;
    }
    send(reply, { status: 200, html: this.pages.render({ tenant, page: 'qr-confirmed', title: m['qr.done.title'], view: { hallHref: `${tenant.basePath}/hall` } }) });
  }

  /** HN-1: the challenge the CA tab shows for the certificate's key to sign. */
  private issueCa(tenant: Tenant): Promise<IssuedChallenge> {
    return this.caProofs.issueChallenge(tenant);
  }

  private async issueQr(tenant: Tenant, request: FastifyRequest): Promise<QrTicketView> {
    const issued = await this.qr.issue(tenant, siteOrigin(request));
    return { ticketId: issued.ticketId, pollToken: issued.pollToken, src: svgDataUri(issued.svg), expiresInSeconds: issued.expiresInSeconds, confirmUrl: issued.confirmUrl };
  }

  /** The pending ticket drawn again, with the seconds it has left. */
  private async sameQr(tenant: Tenant, request: FastifyRequest, ticketId: string, pollToken: string): Promise<QrTicketView | undefined> {
    const issued = await this.qr.redraw(tenant, ticketId, pollToken, siteOrigin(request));
    return issued && { ticketId, pollToken, src: svgDataUri(issued.svg), expiresInSeconds: issued.expiresInSeconds, confirmUrl: issued.confirmUrl };
  }

  private async renderForm(tenant: Tenant, request: FastifyRequest, reply: FastifyReply, state: Omit<LoginPageState, 'csrfToken' | 'captcha' | 'signedIn'>): Promise<string> {
    const m = this.pages.messages(tenant);
    const captcha = state.method.graphicCaptcha && state.method.id !== 'qr' && state.method.id !== 'ca' ? await issueCaptcha(this.captchas, tenant) : undefined;
    const session = await this.sessions.read(tenant, 'hall', request.cookies[sessionCookieName('hall', tenant.provinceId)]);
    const signedIn = session ? { account: (await this.actors.describe(tenant, session).catch(() => undefined))?.account ?? '' } : undefined;
    const view = loginPageView(tenant.profile, tenant.basePath, { ...state, captcha, signedIn: signedIn?.account ? signedIn : undefined, csrfToken: reply.generateCsrf() }, m);
    return this.pages.render({ tenant, page: 'login', title: tenant.profile.login.entryLabel, view, scripts: [this.pages.assetUrl('identity.js')] });
  }

  private async renderConfirm(tenant: Tenant, ticketId: string, session: LiveSession, reply: FastifyReply, state: { canConfirm: boolean; alert?: string }): Promise<string> {
    const m = this.pages.messages(tenant);
    const actor = await this.actors.describe(tenant, session);
    const view = qrConfirmView(tenant.profile, tenant.basePath, ticketId, actor, { ...state, csrfToken: reply.generateCsrf() }, m);
    return this.pages.render({ tenant, page: 'qr-confirm', title: m['qr.title'], view });
  }
}

/** The origin the browser used, for the QR code's confirmation URL. */
function siteOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}
