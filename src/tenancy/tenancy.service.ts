import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ProfileRegistry } from '#src/profiles/profile-registry.service.js';
import { resolveTenant, type Tenant, type TenantLookup } from '#src/tenancy/tenant.js';

/** Route parameter that names the province in tenant routes (`/:province/…`). */
export const PROVINCE_PARAM = 'province';

@Injectable()
export class TenancyService {
  // Explicit token: tsx (start:dev) emits no decorator metadata.
  constructor(@Inject(ProfileRegistry) private readonly registry: ProfileRegistry) {}

  lookup(request: FastifyRequest): TenantLookup {
    const params = request.params as Record<string, string | undefined> | undefined;
    return resolveTenant(this.registry.current(), { segment: params?.[PROVINCE_PARAM], host: request.host, hostname: request.hostname });
  }

  /** The province a URL's first segment or host names, for pages outside tenant routes (error pages). */
  fromUrl(url: string, host: string | undefined): Tenant | undefined {
    const segment = decodeSegment(url.split('?', 1)[0]?.split('/')[1]);
    const snapshot = this.registry.current();
    const byPath = segment ? resolveTenant(snapshot, { segment }) : undefined;
    if (byPath?.found) return byPath.tenant;
    const byHost = resolveTenant(snapshot, { host, hostname: host?.replace(/:\d+$/, '') });
    return byHost.found ? byHost.tenant : undefined;
  }
}

function decodeSegment(segment: string | undefined): string | undefined {
  if (!segment) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
