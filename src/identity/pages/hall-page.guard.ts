import { applyDecorators, Catch, Inject, Injectable, NotFoundException, UseFilters, UseGuards, type ArgumentsHost, type CanActivate, type ExceptionFilter, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppException } from '#src/errors/app-exception.js';
import { isUuid } from '#src/identity/accounts.repository.js';
import { IdentityErrorCode } from '#src/identity/identity.exception.js';
import { safeNext, withNext } from '#src/identity/pages/page-support.js';
import { HallSessionGuard } from '#src/identity/sessions/hall-session.guard.js';
import { TenancyService } from '#src/tenancy/tenancy.service.js';

/** Thrown by HallPageGuard; SignInRedirectFilter answers it with a 303 to the login page. */
export class SignInRedirect extends Error {
  constructor(readonly location: string) {
    super('sign-in required');
    this.name = 'SignInRedirect';
  }
}

/**
 * The page twin of HallSessionGuard: the same check (a live hall session of the route's province),
 * but a person without one is sent to the login page with `next` set to where they were going,
 * instead of a 401. The session is then available through @HallSession().
 */
@Injectable()
export class HallPageGuard implements CanActivate {
  constructor(
    @Inject(HallSessionGuard) private readonly sessions: HallSessionGuard,
    @Inject(TenancyService) private readonly tenancy: TenancyService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    try {
      return (await this.sessions.canActivate(context)) as boolean;
    } catch (error) {
      if (!(error instanceof AppException) || error.code !== IdentityErrorCode.SESSION_REQUIRED) throw error;
      const request = context.switchToHttp().getRequest<FastifyRequest>();
      const lookup = this.tenancy.lookup(request);
      if (!lookup.found) throw error;
      const back = request.method === 'GET' ? safeNext(request.url, lookup.tenant) : undefined;
      throw new SignInRedirect(withNext(`${lookup.tenant.basePath}/login`, back));
    }
  }
}

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

/** A controller of signed-in pages: a hall session, or a 303 to the login page and back. */
export const SignedInPages = () => applyDecorators(UseGuards(HallPageGuard), UseFilters(SignInRedirectFilter));
