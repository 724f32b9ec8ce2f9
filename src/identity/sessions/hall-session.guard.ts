import { createParamDecorator, Inject, Injectable, mixin, type CanActivate, type ExecutionContext, type Type } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { identityException, IdentityErrorCode } from '#src/identity/identity.exception.js';
import { SessionService, sessionCookieName, type LiveSession } from '#src/identity/sessions/session.service.js';
import type { SessionRealm } from '#src/identity/sessions/session-store.js';
import { ProfileRegistry } from '#src/profiles/profile-registry.service.js';
import { TenancyService } from '#src/tenancy/tenancy.service.js';

const SESSION = Symbol('realm-session');

type SessionRequest = FastifyRequest & { [SESSION]?: LiveSession };

/**
 * A guard class per realm: routes need a live session of that realm and of the route's province.
 * A session of another province, of another realm, expired or ended is the same as none (401
 * SESSION_REQUIRED). Guards run before interceptors, so the province is resolved here too.
 */
export function RealmSessionGuard(realm: SessionRealm): Type<CanActivate> {
  @Injectable()
  class RealmGuard implements CanActivate {
    constructor(
      @Inject(TenancyService) private readonly tenancy: TenancyService,
      @Inject(ProfileRegistry) private readonly registry: ProfileRegistry,
      @Inject(SessionService) private readonly sessions: SessionService,
    ) {}

    async canActivate(context: ExecutionContext): Promise<boolean> {
      await requireRealmSession(realm, context, this.tenancy, this.registry, this.sessions);
      return true;
    }
  }
  return mixin(RealmGuard);
}

/** The realm guards' check, for guards that answer its absence differently (the pages' redirect). */
export async function requireRealmSession(realm: SessionRealm, context: ExecutionContext, tenancy: TenancyService, registry: ProfileRegistry, sessions: SessionService): Promise<LiveSession> {
  const request = context.switchToHttp().getRequest<SessionRequest>();
  const lookup = tenancy.lookup(request);
  if (!lookup.found) {
    if (lookup.segment !== undefined) registry.require(lookup.segment);
    throw identityException(IdentityErrorCode.SESSION_REQUIRED);
  }
  const session = await sessions.read(lookup.tenant, realm, request.cookies[sessionCookieName(realm, lookup.tenant.provinceId)]);
  if (!session) throw identityException(IdentityErrorCode.SESSION_REQUIRED);
  request[SESSION] = session;
  return session;
}

/** Hall routes: a hall session of the route's province. */
export const HallSessionGuard = RealmSessionGuard('hall');
export type HallSessionGuard = InstanceType<typeof HallSessionGuard>;

/** The session the realm's guard found. */
export const HallSession = createParamDecorator((_data: unknown, context: ExecutionContext): LiveSession => {
  const session = hallSessionOf(context.switchToHttp().getRequest<FastifyRequest>());
  if (!session) throw identityException(IdentityErrorCode.SESSION_REQUIRED);
  return session;
});

export function hallSessionOf(request: FastifyRequest): LiveSession | undefined {
  return (request as SessionRequest)[SESSION];
}
