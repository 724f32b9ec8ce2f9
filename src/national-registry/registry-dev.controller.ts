import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DevToolsGuard } from '#src/dev-tools/dev-tools.guard.js';
import { NATIONAL_REGISTRY, type NationalRegistry, type RegistryEntry } from '#src/national-registry/national-registry.port.js';
import { registryException, RegistryErrorCode } from '#src/national-registry/national-registry.exception.js';
import { REGISTRY_ABSENT_DEMO_CODES } from '#src/national-registry/registry-demo-data.js';
import { ProfileRegistry } from '#src/profiles/profile-registry.service.js';
import { tenantOf } from '#src/tenancy/tenant.js';

export interface RegistryDevListing {
  province: string;
  /** The registry's entries for units in the province, by credit code, each with its note. */
  entries: RegistryEntry[];
  /** Valid credit codes the registry does not know: try registering with one (N-4, AH-5). */
  absentCodes: string[];
}

/** The demo national registry (DESIGN.md, Dev tools): which credit codes to try, and what each shows. */
@ApiTags('开发工具（DEV_TOOLS=true）')
@UseGuards(DevToolsGuard)
@Controller('api/v1/dev')
export class RegistryDevController {
  constructor(
    @Inject(NATIONAL_REGISTRY) private readonly registry: NationalRegistry,
    @Inject(ProfileRegistry) private readonly profiles: ProfileRegistry,
  ) {}

  @Get('registry')
  @ApiOperation({ summary: '国家编码库（演示数据）：本省单位的信用代码、角色类型、医疗机构，以及库中没有的有效信用代码' })
  @ApiQuery({ name: 'province', required: true, type: String, description: '省份标识或 GB/T 2260 代码，例如 jilin 或 220000' })
  async list(@Query('province') province?: unknown): Promise<RegistryDevListing> {
    // `?province=a&province=b` arrives as a list: only one province at a time.
    const wanted = typeof province === 'string' ? province.trim() : '';
    if (wanted === '') throw registryException(RegistryErrorCode.REGISTRY_PROVINCE_REQUIRED, undefined, { province: '请填写省份' });
    const { provinceId } = tenantOf(this.profiles.require(wanted));
    const entries = await this.registry.listByProvince(provinceId);
    // An absent demo code that someone imported since is no longer absent.
    const known = new Set(entries.map((entry) => entry.uscc));
    const absentCodes = (REGISTRY_ABSENT_DEMO_CODES[provinceId] ?? []).filter((code) => !known.has(code));
    return { province: provinceId, entries, absentCodes };
  }
}
