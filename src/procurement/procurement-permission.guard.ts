import { applyDecorators, createParamDecorator, Inject, Injectable, SetMetadata, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { ProcurementAbility } from '#src/authz/procurement-ability.js';
import { identityException, IdentityErrorCode } from '#src/identity/identity.exception.js';
import { requireRealmSession } from '#src/identity/sessions/hall-session.guard.js';
import { SessionService } from '#src/identity/sessions/session.service.js';
import { ProcurementAbilitiesService } from '#src/procurement/procurement-abilities.service.js';
import { ProcurementActorService, type ProcurementActor } from '#src/procurement/procurement-actor.service.js';
import { ProfileRegistry } from '#src/profiles/profile-registry.service.js';
import { TenancyService } from '#src/tenancy/tenancy.service.js';

/** The menu and button a procurement route stands for. */
export interface RoutePermission {
  menu: string;
  action: string;
}

export const ROUTE_PERMISSION = 'procurement:permission';
/** Marks a procurement route any signed-in procurement account may use (its own session, its menus). */
export const ANY_PROCUREMENT_ACCOUNT = 'procurement:any-account';

export interface SignedInProcurement {
  actor: ProcurementActor;
  ability: ProcurementAbility;
}

const SIGNED_IN = new WeakMap<FastifyRequest, SignedInProcurement>();

/**
 * A procurement session, the account behind it still standing, and — where the route declares one —
 * the permission for its menu button on the account's own unit (CASL). 401 without a session, 403
 * PROCUREMENT_PERMISSION_DENIED without the button.
 */
@Injectable()
export class ProcurementPermissionGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(TenancyService) private readonly tenancy: TenancyService,
    @Inject(ProfileRegistry) private readonly registry: ProfileRegistry,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(ProcurementActorService) private readonly actors: ProcurementActorService,
    @Inject(ProcurementAbilitiesService) private readonly abilities: ProcurementAbilitiesService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const session = await requireRealmSession('procurement', context, this.tenancy, this.registry, this.sessions);
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const lookup = this.tenancy.lookup(request);
    if (!lookup.found) throw identityException(IdentityErrorCode.SESSION_REQUIRED);
    const actor = await this.actors.describe(lookup.tenant, session);
    const required = this.reflector.getAllAndOverride<RoutePermission | undefined>(ROUTE_PERMISSION, [context.getHandler(), context.getClass()]);
    const signed = required ? await this.abilities.withButton(lookup.tenant, actor, required.menu, required.action) : { actor, ability: await this.abilities.forActor(lookup.tenant, actor) };
    SIGNED_IN.set(request, signed);
    return true;
  }
}

/** A procurement route for the holders of a menu's button (`@RequiresPermission('account-roles', 'add')`). */
export const RequiresPermission = (menu: string, action: string) => applyDecorators(SetMetadata(ROUTE_PERMISSION, { menu, action } satisfies RoutePermission), UseGuards(ProcurementPermissionGuard));

/** A procurement route any signed-in account may use: its session, its menu tree. */
export const AnyProcurementAccount = () => applyDecorators(SetMetadata(ANY_PROCUREMENT_ACCOUNT, true), UseGuards(ProcurementPermissionGuard));

/** The account and ability ProcurementPermissionGuard found. */
export const SignedInProcurementAccount = createParamDecorator((_data: unknown, context: ExecutionContext): SignedInProcurement => {
  const found = SIGNED_IN.get(context.switchToHttp().getRequest<FastifyRequest>());
  if (!found) throw identityException(IdentityErrorCode.SESSION_REQUIRED);
  return found;
});
