import { applyDecorators, createParamDecorator, Inject, Injectable, UseFilters, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AdminSessionGuard } from '#src/administration/admin-session.guard.js';
import { AdminSignInService } from '#src/administration/admin-sign-in.service.js';
import type { AdministratorRecord } from '#src/administration/administrators.repository.js';
import { AppException } from '#src/errors/app-exception.js';
import { identityException, IdentityErrorCode } from '#src/identity/identity.exception.js';
import { SignInRedirect, SignInRedirectFilter } from '#src/identity/pages/hall-page.guard.js';
import { safeNext, withNext } from '#src/identity/pages/page-support.js';
import { hallSessionOf } from '#src/identity/sessions/hall-session.guard.js';
import { TenancyService } from '#src/tenancy/tenancy.service.js';
import type { Tenant } from '#src/tenancy/tenant.js';

const ADMINISTRATOR = new WeakMap<FastifyRequest, AdministratorRecord>();

/**
 * The admin realm's session guard, then the administrator behind it: still there and active, of
 * the route's province. Either failing is 401 SESSION_REQUIRED, as for no session at all.
 */
@Injectable()
export class AdministratorGuard implements CanActivate {
  constructor(
    @Inject(AdminSessionGuard) private readonly sessions: AdminSessionGuard,
    @Inject(TenancyService) private readonly tenancy: TenancyService,
    @Inject(AdminSignInService) private readonly signIn: AdminSignInService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    await this.sessions.canActivate(context);
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const lookup = this.tenancy.lookup(request);
    const session = hallSessionOf(request);
    if (!lookup.found || !session) throw identityException(IdentityErrorCode.SESSION_REQUIRED);
    ADMINISTRATOR.set(request, await this.signIn.current(lookup.tenant, session));
    return true;
  }
}

/** The administrator AdministratorGuard found. */
export const CurrentAdministrator = createParamDecorator((_data: unknown, context: ExecutionContext): AdministratorRecord => {
  const administrator = ADMINISTRATOR.get(context.switchToHttp().getRequest<FastifyRequest>());
  if (!administrator) throw identityException(IdentityErrorCode.SESSION_REQUIRED);
  return administrator;
});

/** Pages: the same check, but a visitor without it goes to the sign-in form at /{id}/admin and back. */
@Injectable()
export class AdministratorPageGuard implements CanActivate {
  constructor(
    @Inject(AdministratorGuard) private readonly administrators: AdministratorGuard,
    @Inject(TenancyService) private readonly tenancy: TenancyService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    try {
      return await this.administrators.canActivate(context);
    } catch (error) {
      if (!(error instanceof AppException) || error.code !== IdentityErrorCode.SESSION_REQUIRED) throw error;
      const request = context.switchToHttp().getRequest<FastifyRequest>();
      const lookup = this.tenancy.lookup(request);
      if (!lookup.found) throw error;
      const back = request.method === 'GET' ? adminNext(request.url, lookup.tenant) : undefined;
      throw new SignInRedirect(withNext(`${lookup.tenant.basePath}/admin`, back));
    }
  }
}

/** Where to go after signing in: a page of this province's administration (safeNext's rules), nowhere else. */
export function adminNext(value: unknown, tenant: Tenant): string | undefined {
  const next = safeNext(value, tenant);
  const pages = `${tenant.basePath}/admin/`;
  if (!next?.startsWith(pages)) return undefined;
  const first = next.slice(pages.length).split(/[/?]/, 1)[0];
  return first === 'login' || first === 'logout' ? undefined : next;
}

/** A controller of administrators' pages: signed in, or a 303 to the sign-in form. */
export const AdministratorPages = () => applyDecorators(UseGuards(AdministratorPageGuard), UseFilters(SignInRedirectFilter));
