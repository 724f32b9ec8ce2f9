import type { CompiledProfile } from '#src/profiles/profile-compiler.js';
import type { ProfileSnapshot } from '#src/profiles/profile-registry.service.js';
import { resolveTenant } from '#src/tenancy/tenant.js';

function compiled(id: string, code: string, hosts: string[] = []): CompiledProfile {
  return { profile: { id, code, hosts }, hash: id, overridden: new Set(), files: { national: '', province: '' } } as unknown as CompiledProfile;
}

const hunan = compiled('hunan', '430000', ['hall.hunan.test', 'hall.hunan.test:8443']);
const anhui = compiled('anhui', '340000');
const snapshot = {
  byId: new Map([
    ['hunan', hunan],
    ['anhui', anhui],
  ]),
  byCode: new Map([
    ['430000', hunan],
    ['340000', anhui],
  ]),
  byHost: new Map([
    ['hall.hunan.test', hunan],
    ['hall.hunan.test:8443', hunan],
  ]),
} as unknown as ProfileSnapshot;

describe('resolveTenant', () => {
  it('resolves a path segment by id or GB/T 2260 code, with links under /{id}', () => {
    for (const segment of ['hunan', '430000']) {
      const lookup = resolveTenant(snapshot, { segment, host: 'localhost:3000' });
      expect(lookup).toMatchObject({ found: true, tenant: { provinceId: 'hunan', basePath: '/hunan', via: 'path' } });
    }
  });

  it('does not fall back to the host when the path names an unknown province', () => {
    expect(resolveTenant(snapshot, { segment: 'atlantis', host: 'hall.hunan.test' })).toEqual({ found: false, segment: 'atlantis' });
  });

  it('resolves a host a profile lists, with or without its port, case-insensitively, with links at the root', () => {
    expect(resolveTenant(snapshot, { host: 'HALL.hunan.test', hostname: 'hall.hunan.test' })).toMatchObject({ found: true, tenant: { provinceId: 'hunan', basePath: '', via: 'host' } });
    expect(resolveTenant(snapshot, { host: 'hall.hunan.test:8443' })).toMatchObject({ found: true, tenant: { via: 'host' } });
    expect(resolveTenant(snapshot, { host: 'hall.hunan.test:9000', hostname: 'hall.hunan.test' })).toMatchObject({ found: true });
  });

  it('finds nothing on an unlisted host without a path segment', () => {
    expect(resolveTenant(snapshot, { host: 'localhost:3000', hostname: 'localhost' })).toEqual({ found: false });
  });
});
