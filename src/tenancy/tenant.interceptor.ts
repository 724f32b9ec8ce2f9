import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';
import { ProfileRegistry } from '#src/profiles/profile-registry.service.js';
import { runWithTenant } from '#src/tenancy/tenant-context.js';
import { TenancyService } from '#src/tenancy/tenancy.service.js';
import type { Tenant } from '#src/tenancy/tenant.js';

const TENANT = Symbol('tenant');

type TenantRequest = FastifyRequest & { [TENANT]?: Tenant };

/**
 * Resolves the province of a tenant route and runs the handler inside its context. A path naming
 * an unknown province is a 404 (PROVINCE_NOT_FOUND) here, before any handler runs; a route without
 * a province segment on a host no profile lists goes on without one (the root page chooses).
 */
@Injectable()
export class TenantInterceptor implements NestInterceptor {
  constructor(
    @Inject(TenancyService) private readonly tenancy: TenancyService,
    @Inject(ProfileRegistry) private readonly registry: ProfileRegistry,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<TenantRequest>();
    const lookup = this.tenancy.lookup(request);
    if (!lookup.found) {
      // Throws PROVINCE_NOT_FOUND with the list of provinces.
      if (lookup.segment !== undefined) this.registry.require(lookup.segment);
      return next.handle();
    }
    const tenant = lookup.tenant;
    request[TENANT] = tenant;
    // Subscribing inside run() is what carries the context into the handler's async work.
    return new Observable((subscriber) => runWithTenant(tenant, () => next.handle().subscribe(subscriber)));
  }
}

export function tenantOfRequest(request: FastifyRequest): Tenant | undefined {
  return (request as TenantRequest)[TENANT];
}
