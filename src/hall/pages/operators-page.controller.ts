import { Body, Controller, Get, Header, Inject, Param, Post, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/csrf-protection';
import { requestOrigin } from '#src/audit/audit-log.js';
import type { AppException } from '#src/errors/app-exception.js';
import { hallException, HallErrorCode } from '#src/hall/hall.exception.js';
import { OperatorsService, type UnitOperatorView } from '#src/hall/operators.service.js';
import { addBody, addKept, addModeOf, doneKindOf, identifyingInput, operatorsPageView, operatorsPath, type AddMode, type OperatorsPageState } from '#src/hall/pages/operators-page.view.js';
import { renderUnitAccountOnly } from '#src/hall/pages/unit-account-only.js';
import { SignedInPages } from '#src/identity/pages/hall-page.guard.js';
import { errorsOf, formText, hasCode, issueCaptcha, retryAfter, send, userError } from '#src/identity/pages/page-support.js';
import { HallSession } from '#src/identity/sessions/hall-session.guard.js';
import type { LiveSession } from '#src/identity/sessions/session.service.js';
import { SignedInActorService } from '#src/identity/sessions/signed-in-actor.service.js';
import { formatMessage } from '#src/portal/i18n/messages.js';
import { PageRenderer } from '#src/portal/page-renderer.js';
import { HTML } from '#src/portal/portal.controller.js';
import { CurrentTenant } from '#src/tenancy/current-tenant.decorator.js';
import { TenantInterceptor } from '#src/tenancy/tenant.interceptor.js';
import type { Tenant } from '#src/tenancy/tenant.js';
import { CaptchaService } from '#src/verification/captcha.service.js';

type PageState = Omit<OperatorsPageState, 'csrfToken' | 'unitName' | 'operators' | 'captcha' | 'reset' | 'unbind'> & {
  reset?: { operatorId: string; errors?: Record<string, string> | undefined; alert?: string | undefined } | undefined;
  unbind?: { operatorId: string; alert?: string | undefined } | undefined;
};

/**
 * 单位管理 → 单位经办人 (JL-9, XZ-8, NM-2, HN-5) for the unit account, on OperatorsService like the
 * API. Without scripts every button posts: 发送验证码 and 换一张 come back with the add form filled
 * in; a row's 重置密码 and 解除绑定 open their panel by a link (`?reset=` / `?unbind=`); what was
 * done is said after the redirect (`?done=`).
 */
@ApiExcludeController()
@Controller()
@UseInterceptors(TenantInterceptor)
@SignedInPages()
export class OperatorsPageController {
  constructor(
    @Inject(PageRenderer) private readonly pages: PageRenderer,
    @Inject(OperatorsService) private readonly operators: OperatorsService,
    @Inject(SignedInActorService) private readonly actors: SignedInActorService,
    @Inject(CaptchaService) private readonly captchas: CaptchaService,
  ) {}

  @Get([':province/hall/operators', 'hall/operators'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async page(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Query() query: Record<string, unknown>, @Res() reply: FastifyReply): Promise<void> {
    const q = (name: string) => (typeof query[name] === 'string' ? query[name] : '');
    const kind = doneKindOf(q('done'));
    const { operators } = tenant.profile;
    await this.render(tenant, session, reply, 200, {
      mode: addModeOf(tenant.profile, q('add')),
      reset: q('reset') && operators.passwordResetByUnitAccount.enabled ? { operatorId: q('reset') } : undefined,
      unbind: q('unbind') && operators.unbind.enabled ? { operatorId: q('unbind') } : undefined,
      done: kind ? { kind, operator: undefined } : undefined,
    }, q('operator'));
  }

  @Post([':province/hall/operators/add', 'hall/operators/add'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async add(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const { profile } = tenant;
    const m = this.pages.messages(tenant);
    const read = (name: string) => formText(body, name);
    const action = read('action');
    if (action === 'register-new' && profile.operators.registerInline.enabled) {
      // XZ-8: the ID number found nobody; the new operator's form starts from what was typed.
      await this.render(tenant, session, reply, 200, { mode: 'new', values: { 'operator.idType': read('idType'), 'operator.idNumber': read('idNumber') } });
      return;
    }
    const mode = addModeOf(profile, read('mode'));
    const values = addKept(profile, mode, read);
    try {
      if (action === 'captcha') {
        await this.render(tenant, session, reply, 200, { mode, values });
      } else if (action === 'send-code') {
        const sent = await this.operators.sendAddCode(tenant, session, addBody(profile, mode, read), requestOrigin(request));
        const addNotice = formatMessage(m['hallOperators.add.codeSent'], { phone: sent.phone, minutes: Math.ceil(sent.expiresInSeconds / 60) });
        await this.render(tenant, session, reply, 200, { mode, values, addNotice });
      } else {
        const added = await this.operators.add(tenant, session, addBody(profile, mode, read), requestOrigin(request));
        send(reply, { redirect: `${operatorsPath(tenant.basePath)}?done=${added.registered ? 'registered' : 'added'}&operator=${added.operatorId}` });
      }
    } catch (error) {
      const known = this.known(error, tenant, reply);
      if (!known) return;
      retryAfter(reply, known);
      await this.render(tenant, session, reply, known.status, { mode, values, ...this.addErrors(tenant, mode, known) });
    }
  }

  @Post([':province/hall/operators/:operatorId/password', 'hall/operators/:operatorId/password'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async resetPassword(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Param('operatorId') operatorId: string, @Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    try {
      await this.operators.resetPassword(tenant, session, operatorId, { newPassword: formText(body, 'newPassword'), confirmPassword: formText(body, 'confirmPassword') }, requestOrigin(request));
      send(reply, { redirect: `${operatorsPath(tenant.basePath)}?done=password-reset&operator=${operatorId}` });
    } catch (error) {
      const known = this.known(error, tenant, reply);
      if (!known) return;
      const reset = hasCode(known, HallErrorCode.OPERATOR_PASSWORD_INVALID) ? { operatorId, errors: errorsOf(known).fields, alert: known.message } : undefined;
      await this.render(tenant, session, reply, known.status, { mode: 'existing', reset, alert: reset ? undefined : known.message });
    }
  }

  @Post([':province/hall/operators/:operatorId/unbind', 'hall/operators/:operatorId/unbind'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async unbind(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Param('operatorId') operatorId: string, @Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    // The confirm step (HN-5): nothing is unbound without it.
    if (formText(body, 'confirm') !== 'yes') {
      await this.render(tenant, session, reply, 400, { mode: 'existing', unbind: { operatorId, alert: this.pages.messages(tenant)['hallOperators.unbind.confirmRequired'] } });
      return;
    }
    try {
      await this.operators.unbind(tenant, session, operatorId, requestOrigin(request));
      send(reply, { redirect: `${operatorsPath(tenant.basePath)}?done=unbound` });
    } catch (error) {
      const known = this.known(error, tenant, reply);
      if (known) await this.render(tenant, session, reply, known.status, { mode: 'existing', alert: known.message });
    }
  }

  @Post([':province/hall/operators/:operatorId/procurement-authorisation', 'hall/operators/:operatorId/procurement-authorisation'])
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async authorisation(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Param('operatorId') operatorId: string, @Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const value = formText(body, 'authorisation');
    try {
      if (value !== 'grant' && value !== 'withdraw') throw hallException(HallErrorCode.OPERATOR_ACTION_NOT_OFFERED);
      await this.operators.setProcurementAuthorisation(tenant, session, operatorId, value === 'grant', requestOrigin(request));
      send(reply, { redirect: `${operatorsPath(tenant.basePath)}?done=${value === 'grant' ? 'authorised' : 'withdrawn'}&operator=${operatorId}` });
    } catch (error) {
      const known = this.known(error, tenant, reply);
      if (known) await this.render(tenant, session, reply, known.status, { mode: 'existing', alert: known.message });
    }
  }

  /** A user-caused error to show on the page; an operator's session gets the unit-account-only page instead (and undefined). */
  private known(error: unknown, tenant: Tenant, reply: FastifyReply): AppException | undefined {
    const known = userError(error);
    if (!known) throw error;
    if (!hasCode(known, HallErrorCode.UNIT_ACCOUNT_ONLY)) return known;
    send(reply, { status: known.status, html: renderUnitAccountOnly(this.pages, tenant, known.message, 'hallOperators') });
    return undefined;
  }

  /** The service's field errors under the add form's inputs; errors without a field go to the input naming the operator. */
  private addErrors(tenant: Tenant, mode: AddMode, error: AppException): Pick<OperatorsPageState, 'errors' | 'addAlert'> {
    const m = this.pages.messages(tenant);
    const identifying = identifyingInput(tenant.profile, mode);
    const fields = errorsOf(error, { phone: identifying }).fields;
    // XZ-8: an ID number no operator holds; the service then asks for the new operator's fields.
    if (mode === 'existing' && fields['operator.mobile'] !== undefined) return { errors: { [identifying]: m['hallOperators.add.notRegistered'] }, addAlert: { message: m['hallOperators.add.notRegisteredLead'], registerNew: true } };
    if (Object.keys(fields).length === 0 && [HallErrorCode.OPERATOR_NOT_REGISTERED, HallErrorCode.OPERATOR_ALREADY_BOUND, HallErrorCode.OPERATOR_MOBILE_TAKEN].some((code) => hasCode(error, code))) fields[identifying] = error.message;
    return { errors: fields, addAlert: { message: error.message } };
  }

  private async render(tenant: Tenant, session: LiveSession, reply: FastifyReply, status: number, state: PageState, doneOperatorId = ''): Promise<void> {
    let operators: UnitOperatorView[];
    try {
      operators = await this.operators.list(tenant, session);
    } catch (error) {
      if (this.known(error, tenant, reply)) throw error;
      return;
    }
    const m = this.pages.messages(tenant);
    const find = (id: string | undefined) => operators.find((o) => o.operatorId === id);
    const notFound = hallException(HallErrorCode.OPERATOR_NOT_FOUND).message;
    const resetOperator = find(state.reset?.operatorId);
    const unbindOperator = find(state.unbind?.operatorId);
    // A row that is not this unit's (another unit's operator, a stale link): said, never acted on.
    const missing = (state.reset !== undefined && !resetOperator) || (state.unbind !== undefined && !unbindOperator);
    const actor = await this.actors.describe(tenant, session);
    const view = operatorsPageView(
      tenant.profile,
      tenant.basePath,
      {
        ...state,
        csrfToken: reply.generateCsrf(),
        unitName: actor.unit?.name ?? '',
        operators,
        captcha: await issueCaptcha(this.captchas, tenant),
        reset: resetOperator && state.reset ? { ...state.reset, operator: resetOperator } : undefined,
        unbind: unbindOperator && state.unbind ? { ...state.unbind, operator: unbindOperator } : undefined,
        alert: missing ? notFound : state.alert,
        done: state.done && { kind: state.done.kind, operator: find(doneOperatorId) },
      },
      m,
    );
    const html = this.pages.render({ tenant, page: 'hall-operators', title: m['hallOperators.title'], view, scripts: [this.pages.assetUrl('identity.js')] });
    send(reply, { status: missing && status < 400 ? 404 : status, html });
  }
}
