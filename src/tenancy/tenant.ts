/**
 * A tenant is one province, resolved for a request from its path (`/{id}/…`) or from a host that
 * the province's profile lists. Pure: no Nest, no request objects, so it is tested on its own.
 */
import type { CompiledProfile } from '#src/profiles/profile-compiler.js';
import type { ProfileSnapshot } from '#src/profiles/profile-registry.service.js';
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';

declare const provinceIdBrand: unique symbol;
/**
 * A province id that came out of the registry. Tenant-scoped repositories take this rather than a
 * string, so a query cannot be written with an unchecked id — or without one.
 */
export type ProvinceId = string & { readonly [provinceIdBrand]: true };

export interface Tenant {
  provinceId: ProvinceId;
  profile: ProvinceProfile;
  compiled: CompiledProfile;
  /** Prefix of every in-site link: `/{id}` when addressed by path, '' when the host names the province. */
  basePath: string;
  via: 'path' | 'host';
}

export function tenantOf(compiled: CompiledProfile, via: Tenant['via'] = 'path'): Tenant {
  const id = compiled.profile.id;
  return { provinceId: id as ProvinceId, profile: compiled.profile, compiled, basePath: via === 'host' ? '' : `/${id}`, via };
}

export interface TenantAddress {
  /** The `{province}` path segment, when the route has one: an id or a GB/T 2260 code. */
  segment?: string | undefined;
  /** `Host` with its port (`hall.example:8443`) and without (`hall.example`). */
  host?: string | undefined;
  hostname?: string | undefined;
}

export type TenantLookup =
  | { found: true; tenant: Tenant }
  /** A path named a province that does not exist: that is a 404, never a fallback to the host. */
  | { found: false; segment: string }
  | { found: false; segment?: undefined };

export function resolveTenant(snapshot: ProfileSnapshot, address: TenantAddress): TenantLookup {
  if (address.segment !== undefined) {
    const compiled = snapshot.byId.get(address.segment) ?? snapshot.byCode.get(address.segment);
    return compiled ? { found: true, tenant: tenantOf(compiled, 'path') } : { found: false, segment: address.segment };
  }
  for (const host of [address.host, address.hostname]) {
    const compiled = host ? snapshot.byHost.get(host.toLowerCase()) : undefined;
    if (compiled) return { found: true, tenant: tenantOf(compiled, 'host') };
  }
  return { found: false };
}
