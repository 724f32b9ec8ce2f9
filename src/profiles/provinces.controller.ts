import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Public } from '#src/authz/public.decorator.js';
import { ProfileRegistry } from '#src/profiles/profile-registry.service.js';
import { compareProfiles, type Comparison } from '#src/profiles/profile-compare.js';
import { resolvedProfileSchema } from '#src/profiles/profile-json-schema.js';
import { profilesException, ProfilesErrorCode } from '#src/profiles/profiles.exception.js';
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';

export interface ProvinceSummary {
  id: string;
  code: string;
  name: string;
  authority: string;
  hallUrl: string;
}

@ApiTags('省份配置')
@Controller('api/v1')
export class ProvincesController {
  constructor(private readonly registry: ProfileRegistry) {}

  @Public()
  @Get('provinces')
  @ApiOperation({ summary: '已上线的省份列表' })
  list(): ProvinceSummary[] {
    return this.registry.current().profiles.map(({ profile }) => ({
      id: profile.id,
      code: profile.code,
      name: profile.name,
      authority: profile.authority,
      hallUrl: profile.urls.hall.url,
    }));
  }

  @Public()
  @Get('provinces/:id')
  @ApiOperation({ summary: '一个省份合并后的完整配置（按标识或 GB/T 2260 代码）' })
  show(@Param('id') id: string): ProvinceProfile {
    return this.registry.require(id).profile;
  }

  @Public()
  @Get('profile.schema.json')
  @ApiOperation({ summary: '省份配置的 JSON Schema' })
  schema(): Record<string, unknown> {
    return resolvedProfileSchema();
  }

  @Public()
  @Get('compare')
  @ApiOperation({ summary: '比较各省规则' })
  @ApiQuery({ name: 'provinces', required: false, description: '逗号分隔的省份标识或代码，默认全部' })
  @ApiQuery({ name: 'only', required: false, enum: ['diff'], description: 'diff 只返回不同的行' })
  compare(@Query('provinces') provinces?: string, @Query('only') only?: string): Comparison {
    if (only !== undefined && only !== 'diff') {
      throw profilesException(ProfilesErrorCode.COMPARE_BAD_QUERY, `参数 only 只能为 diff，收到“${only}”`, { only: '只能为 diff' });
    }
    const requested = (provinces ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const compiled = requested.length > 0 ? [...new Set(requested)].map((id) => this.registry.require(id)) : [...this.registry.current().profiles];
    return compareProfiles(compiled, { onlyDiff: only === 'diff' });
  }
}
