import { Inject, Injectable } from '@nestjs/common';
import { buildProcurementAbility, subjectOf, type AbilityActor, type ProcurementAbility } from '#src/authz/procurement-ability.js';
import type { ProcurementActor } from '#src/procurement/procurement-actor.service.js';
import type { SignedInProcurement } from '#src/procurement/procurement-permission.guard.js';
import { procurementException, ProcurementErrorCode } from '#src/procurement/procurement.exception.js';
import { ProcurementRolesRepository } from '#src/procurement/roles/procurement-roles.repository.js';
import type { Tenant } from '#src/tenancy/tenant.js';

/** Abilities kept per node; a key never comes back once its role or profile moved on, so old ones just age out. */
const CACHE_SIZE = 5000;

/**
 * The ability of a procurement account, cached per account + role version + profile version: the
 * role is read on every request (one indexed query), so a changed role or assignment builds a new
 * ability at once, on every node.
 */
@Injectable()
export class ProcurementAbilitiesService {
  private readonly cache = new Map<string, ProcurementAbility>();

  constructor(@Inject(ProcurementRolesRepository) private readonly roles: ProcurementRolesRepository) {}

  async forActor(tenant: Tenant, actor: ProcurementActor): Promise<ProcurementAbility> {
    const role = actor.isMainAccount ? undefined : await this.roles.roleOf(tenant.provinceId, actor.accountId);
    const subject = abilityActor(tenant, actor);
    const key = [tenant.provinceId, tenant.compiled.hash, actor.accountId, role ? `${role.roleId}@${String(role.version)}` : '-', subject.unitId ?? '-', subject.roleTypes.join(','), subject.isMainAccount, subject.canTransact].join('|');
    const cached = this.cache.get(key);
    if (cached) {
      // Refresh its place: the least recently used goes first.
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const ability = buildProcurementAbility(tenant.profile, subject, role?.permissions ?? {});
    this.cache.set(key, ability);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value ?? key);
    return ability;
  }

  /**
   * The account with its ability, refused (PROCUREMENT_PERMISSION_DENIED) unless it holds the menu's
   * button on its own unit: what `@RequiresPermission` checks, for API routes and pages alike.
   */
  async withButton(tenant: Tenant, actor: ProcurementActor, menu: string, action: string): Promise<SignedInProcurement> {
    const ability = await this.forActor(tenant, actor);
    if (!ability.can(action, subjectOf(menu, { provinceId: tenant.provinceId, unitId: actor.unit?.id }))) throw procurementException(ProcurementErrorCode.PERMISSION_DENIED);
    return { actor, ability };
  }
}

export function abilityActor(tenant: Tenant, actor: ProcurementActor): AbilityActor {
  return { provinceId: tenant.provinceId, unitId: actor.unit?.id, roleTypes: actor.roleTypes, isMainAccount: actor.isMainAccount, canTransact: actor.canTransact };
}
