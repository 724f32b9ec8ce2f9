import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testAuthority } from '#src/ca/pki/test-pki.js';
import { CaTrustStore, devTrustFolder } from '#src/ca/trust-store.js';
import type { AppConfig } from '#src/config/app-config.js';
import type { ProfileRegistry } from '#src/profiles/profile-registry.service.js';
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';
import type { Tenant } from '#src/tenancy/tenant.js';

const profileRoot = testAuthority('ecdsa', { name: '配置中的根CA' });
const devRoot = testAuthority('sm2', { name: '开发根CA' });
const dir = mkdtempSync(join(tmpdir(), 'pe-ca-trust-spec-'));
mkdirSync(devTrustFolder(dir, 'hunan', 'hunan-ca'), { recursive: true });
writeFileSync(join(devTrustFolder(dir, 'hunan', 'hunan-ca'), 'dev.pem'), devRoot.root.pem);
writeFileSync(join(devTrustFolder(dir, 'hunan', 'hunan-ca'), 'broken.pem'), 'not a certificate');

const vendor = { id: 'hunan-ca', name: '湖南CA', contacts: [], trustedRootsPem: [profileRoot.root.pem, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'], source: [] } as unknown as ProvinceProfile['caVendors'][number];
const tenant = { provinceId: 'hunan', profile: { caVendors: [vendor] } } as unknown as Tenant;
const store = (devTools: boolean) => new CaTrustStore({ devTools, caDevTrustDir: dir } as AppConfig, {} as ProfileRegistry);

describe('CA trust store', () => {
  it('trusts the profile’s roots, skipping one it cannot read', async () => {
    const anchors = await store(false).anchors(tenant, [vendor]);
    expect(anchors.map((a) => a.certificate.fingerprint)).toEqual([profileRoot.root.parsed.fingerprint]);
  });

  it('adds the dev trust folder’s roots only while DEV_TOOLS is on', async () => {
    const anchors = await store(true).anchors(tenant, [vendor]);
    expect(anchors.map((a) => a.certificate.fingerprint)).toEqual([profileRoot.root.parsed.fingerprint, devRoot.root.parsed.fingerprint]);
    expect(anchors.every((a) => a.vendorId === 'hunan-ca')).toBe(true);
  });

  it('refuses a vendor the province does not have', () => {
    expect(() => store(true).vendors(tenant, ['nowhere-ca'])).toThrow(expect.objectContaining({ code: 'CA_NOT_OFFERED' }) as Error);
  });
});
