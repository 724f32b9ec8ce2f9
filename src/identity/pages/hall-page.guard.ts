import { applyDecorators, Catch, Inject, Injectable, mixin, NotFoundException, UseFilters, UseGuards, type ArgumentsHost, type CanActivate, type ExceptionFilter, type ExecutionContext, type Type } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppException } from '#src/errors/app-exception.js';
import { isUuid } from '#src/identity/accounts.repository.js';
import { IdentityErrorCode } from '#src/identity/identity.exception.js';
import { safeNext, withNext } from '#src/identity/pages/page-support.js';
import { requireRealmSession } from '#src/identity/sessions/hall-session.guard.js';
import { SessionService } from '#src/identity/sessions/session.service.js';
import type { SessionRealm } from '#src/identity/sessions/session-store.js';
import { ProfileRegistry } from '#src/profiles/profile-registry.service.js';
import { TenancyService } from '#src/tenancy/tenancy.service.js';

/** Thrown by HallPageGuard; SignInRedirectFilter answers it with a 303 to the login page. */
export class SignInRedirect extends Error {
  constructor(readonly location: string) {
    super('sign-in required');
    this.name = 'SignInRedirect';
  }
}

/**
 * The page twin of a realm's session guard: the same check (a live session of the realm and the
 * route's province), but a person without one is sent to the realm's sign-in page with `next` set
 * to where they were going, instead of a 401. The session is then available through @HallSession().
 */
export function RealmPageGuard(realm: SessionRealm, signInPath: string): Type<CanActivate> {
  @Injectable()
  class PageGuard implements CanActivate {
    constructor(
      @Inject(TenancyService) private readonly tenancy: TenancyService,
      @Inject(ProfileRegistry) private readonly registry: ProfileRegistry,
      @Inject(SessionService) private readonly sessions: SessionService,
    ) {}

    async canActivate(context: ExecutionContext): Promise<boolean> {
      try {
        await requireRealmSession(realm, context, this.tenancy, this.registry, this.sessions);
        return true;
      } catch (error) {
        if (!(error instanceof AppException) || error.code !== IdentityErrorCode.SESSION_REQUIRED) throw error;
        const request = context.switchToHttp().getRequest<FastifyRequest>();
        const lookup = this.tenancy.lookup(request);
        if (!lookup.found) throw error;
        const back = request.method === 'GET' ? safeNext(request.url, lookup.tenant) : undefined;
        throw new SignInRedirect(withNext(`${lookup.tenant.basePath}${signInPath}`, back));
      }
    }
  }
  return mixin(PageGuard);
}

export const HallPageGuard = RealmPageGuard('hall', '/login');
export type HallPageGuard = InstanceType<typeof HallPageGuard>;

/**
 * The QR confirmation page exists only in provinces that offer QR login (HN-1), and only for a
 * well-formed ticket id: elsewhere it is a 404 before any session check.
 */
@Injectable()
export class QrPageGuard implements CanActivate {
  constructor(@Inject(TenancyService) private readonly tenancy: TenancyService) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const lookup = this.tenancy.lookup(request);
    // An unknown province is the session guard's to report (404 with the list of provinces).
    if (!lookup.found) return true;
    const ticketId = (request.params as Record<string, string | undefined>).ticketId ?? '';
    if (!lookup.tenant.profile.login.methods.some((m) => m.id === 'qr' && m.enabled) || !isUuid(ticketId)) throw new NotFoundException();
    return true;
  }
}

@Catch(SignInRedirect)
export class SignInRedirectFilter implements ExceptionFilter {
  catch(exception: SignInRedirect, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    void reply.header('cache-control', 'no-store').redirect(exception.location, 303);
  }
}

const PAGE_GUARDS: Record<SessionRealm, Type<CanActivate>> = {
  hall: HallPageGuard,
  procurement: RealmPageGuard('procurement', '/procurement/login'),
  admin: RealmPageGuard('admin', '/admin'),
};

/** A controller of signed-in pages: a session of the realm (the hall's by default), or a 303 to its sign-in page and back. */
export const SignedInPages = (realm: SessionRealm = 'hall') => applyDecorators(UseGuards(PAGE_GUARDS[realm]), UseFilters(SignInRedirectFilter));
