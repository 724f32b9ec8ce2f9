import { createParamDecorator, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { identityException, IdentityErrorCode } from '#src/identity/identity.exception.js';
import { SessionService, sessionCookieName, type LiveSession } from '#src/identity/sessions/session.service.js';
import { ProfileRegistry } from '#src/profiles/profile-registry.service.js';
import { TenancyService } from '#src/tenancy/tenancy.service.js';

const SESSION = Symbol('hall-session');

type SessionRequest = FastifyRequest & { [SESSION]?: LiveSession };

/**
 * Hall routes need a live hall session of the route's province: a session of another province, of
 * the procurement subsystem, expired or ended is the same as none (401 SESSION_REQUIRED). Guards
 * run before interceptors, so the province is resolved here too.
 */
@Injectable()
export class HallSessionGuard implements CanActivate {
  constructor(
    @Inject(TenancyService) private readonly tenancy: TenancyService,
    @Inject(ProfileRegistry) private readonly registry: ProfileRegistry,
    @Inject(SessionService) private readonly sessions: SessionService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<SessionRequest>();
    const lookup = this.tenancy.lookup(request);
    if (!lookup.found) {
      if (lookup.segment !== undefined) this.registry.require(lookup.segment);
      throw identityException(IdentityErrorCode.SESSION_REQUIRED);
    }
    const session = await this.sessions.read(lookup.tenant, 'hall', request.cookies[sessionCookieName('hall', lookup.tenant.provinceId)]);
    if (!session) throw identityException(IdentityErrorCode.SESSION_REQUIRED);
    request[SESSION] = session;
    return true;
  }
}

/** The hall session HallSessionGuard found. */
export const HallSession = createParamDecorator((_data: unknown, context: ExecutionContext): LiveSession => {
  const session = hallSessionOf(context.switchToHttp().getRequest<FastifyRequest>());
  if (!session) throw identityException(IdentityErrorCode.SESSION_REQUIRED);
  return session;
});

export function hallSessionOf(request: FastifyRequest): LiveSession | undefined {
  return (request as SessionRequest)[SESSION];
}
