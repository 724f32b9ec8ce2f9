import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { caException, CaErrorCode } from '#src/ca/ca.exception.js';
import type { TrustAnchor } from '#src/ca/pki/chain-verifier.js';
import { readCertificates, type ParsedCertificate } from '#src/ca/pki/x509.js';
import { APP_CONFIG, type AppConfig } from '#src/config/app-config.js';
import { ProfileRegistry } from '#src/profiles/profile-registry.service.js';
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';
import type { Tenant } from '#src/tenancy/tenant.js';

export type CaVendor = ProvinceProfile['caVendors'][number];

/** Where `npm run province -- ca init` puts a dev root for a province's vendor. */
export function devTrustFolder(dir: string, provinceId: string, vendorId: string): string {
  return join(dir, provinceId, vendorId);
}

/**
 * The roots each CA vendor is trusted with: the profile's `trustedRootsPem`, plus — only while
 * DEV_TOOLS is on — the dev roots the CLI wrote under CA_DEV_TRUST_DIR, so a demo CA signs people
 * in on `npm start` without anyone editing the shipped profile. The dev folder is read at each
 * check (a root made while the server runs counts at once); the profile's roots are parsed once
 * per PEM text.
 */
@Injectable()
export class CaTrustStore implements OnApplicationBootstrap {
  private readonly logger = new Logger('CA');
  private readonly parsed = new Map<string, ParsedCertificate | null>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ProfileRegistry) private readonly registry: ProfileRegistry,
  ) {}

  /** Says at boot which dev roots are trusted (or that none can be). */
  async onApplicationBootstrap(): Promise<void> {
    const dir = this.devDir();
    if (!dir) return;
    const found: string[] = [];
    for (const { profile } of this.registry.current().byId.values()) {
      for (const vendor of profile.caVendors) {
        const roots = await this.devRoots(profile.id, vendor.id);
        if (roots.length > 0) found.push(`${profile.id}/${vendor.id}：${roots.length} 个`);
      }
    }
    this.logger.log(found.length > 0 ? `CA 开发信任（DEV_TOOLS 开启）：追加 ${dir} 下的开发根证书 ${found.join('，')}` : `CA 开发信任（DEV_TOOLS 开启）：${dir} 下暂无开发根证书（npm run province -- ca init 生成）`);
  }

  /** The vendors a login method or the procurement subsystem names, or a refusal when the province has none. */
  vendors(tenant: Tenant, ids: readonly string[]): CaVendor[] {
    const vendors = tenant.profile.caVendors.filter((v) => ids.includes(v.id));
    if (vendors.length === 0) throw caException(CaErrorCode.NOT_OFFERED);
    return vendors;
  }

  async anchors(tenant: Tenant, vendors: readonly CaVendor[]): Promise<TrustAnchor[]> {
    const anchors: TrustAnchor[] = [];
    for (const vendor of vendors) {
      for (const pem of vendor.trustedRootsPem) {
        const certificate = this.profileRoot(tenant, vendor, pem);
        if (certificate) anchors.push({ certificate, vendorId: vendor.id });
      }
      for (const certificate of await this.devRoots(tenant.provinceId, vendor.id)) anchors.push({ certificate, vendorId: vendor.id });
    }
    return anchors;
  }

  private profileRoot(tenant: Tenant, vendor: CaVendor, pem: string): ParsedCertificate | undefined {
    if (!this.parsed.has(pem)) {
      try {
        this.parsed.set(pem, readCertificates(pem)[0] ?? null);
      } catch {
        this.logger.warn(`${tenant.provinceId} 的 CA 厂商 ${vendor.id} 有一个无法识别的受信任根证书，已忽略`);
        this.parsed.set(pem, null);
      }
    }
    return this.parsed.get(pem) ?? undefined;
  }

  private devDir(): string | undefined {
    return this.config.devTools ? this.config.caDevTrustDir : undefined;
  }

  private async devRoots(provinceId: string, vendorId: string): Promise<ParsedCertificate[]> {
    const dir = this.devDir();
    if (!dir) return [];
    const folder = devTrustFolder(dir, provinceId, vendorId);
    const names = (await readdir(folder).catch(() => [] as string[])).filter((n) => n.endsWith('.pem')).sort();
    const roots: ParsedCertificate[] = [];
    for (const name of names) {
      try {
        roots.push(...readCertificates(await readFile(join(folder, name), 'utf8')));
      } catch {
        this.logger.warn(`开发根证书 ${join(folder, name)} 无法识别，已忽略`);
      }
    }
    return roots;
  }
}
