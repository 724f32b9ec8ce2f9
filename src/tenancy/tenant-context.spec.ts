import { currentTenant, currentTenantOrUndefined, runWithTenant } from '#src/tenancy/tenant-context.js';
import type { Tenant } from '#src/tenancy/tenant.js';

const tenant = { provinceId: 'hunan', basePath: '/hunan', via: 'path' } as unknown as Tenant;

describe('tenant context', () => {
  it('throws outside a tenant route rather than running without a province', () => {
    expect(() => currentTenant()).toThrow(/No tenant in context/);
    expect(currentTenantOrUndefined()).toBeUndefined();
  });

  it('carries the tenant through awaits inside runWithTenant', async () => {
    const seen = await runWithTenant(tenant, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return currentTenant().provinceId;
    });
    expect(seen).toBe('hunan');
  });
});
