import { AsyncLocalStorage } from 'node:async_hooks';
import type { Tenant } from '#src/tenancy/tenant.js';

const storage = new AsyncLocalStorage<Tenant>();

/** Runs `fn` with `tenant` as the current province for everything it calls, however deep. */
export function runWithTenant<T>(tenant: Tenant, fn: () => T): T {
  return storage.run(tenant, fn);
}

/**
 * The province of the request being handled. Throws when there is none: code that needs a province
 * and runs outside a tenant route is a bug, and silently using no province would leak data.
 */
export function currentTenant(): Tenant {
  const tenant = storage.getStore();
  if (!tenant) throw new Error('No tenant in context: this code must run inside a province route (TenantInterceptor)');
  return tenant;
}

export function currentTenantOrUndefined(): Tenant | undefined {
  return storage.getStore();
}
