import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '#src/authz/public.decorator.js';
import { DocumentCache, jsonDocument, sendDocument } from '#src/http/cached-document.js';
import { ProfileRegistry, type ProfileSnapshot } from '#src/profiles/profile-registry.service.js';
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
  /**
   * The documents of the current profile set, each serialised once (a profile is 16 KB of JSON)
   * with its ETag; a reload installs a new set and these go with the old one.
   */
  private readonly documents = new DocumentCache<ProfileSnapshot>();

  constructor(@Inject(ProfileRegistry) private readonly registry: ProfileRegistry) {}

  @Public()
  @Get('provinces')
  @ApiOperation({ summary: '已上线的省份列表' })
  list(@Req() request: FastifyRequest, @Res() reply: FastifyReply): FastifyReply {
    const snapshot = this.registry.current();
    return sendDocument(request, reply, this.documents.get(snapshot, 'provinces', () => jsonDocument(snapshot.profiles.map(({ profile }): ProvinceSummary => ({ id: profile.id, code: profile.code, name: profile.name, authority: profile.authority, hallUrl: profile.urls.hall.url })))));
  }

  @Public()
  @Get('provinces/:id')
  @ApiOperation({ summary: '一个省份合并后的完整配置（按标识或 GB/T 2260 代码）；ETag / If-None-Match' })
  show(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): FastifyReply {
    const snapshot = this.registry.current();
    const compiled = this.registry.require(id);
    return sendDocument(request, reply, this.documents.get(snapshot, `province:${compiled.profile.id}`, () => jsonDocument(compiled.profile satisfies ProvinceProfile)));
  }

  @Public()
  @Get('profile.schema.json')
  @ApiOperation({ summary: '省份配置的 JSON Schema' })
  schema(@Req() request: FastifyRequest, @Res() reply: FastifyReply): FastifyReply {
    return sendDocument(request, reply, this.documents.get(this.registry.current(), 'schema', () => jsonDocument(resolvedProfileSchema())));
  }

  @Public()
  @Get('compare')
  @ApiOperation({ summary: '比较各省规则' })
  @ApiQuery({ name: 'provinces', required: false, description: '逗号分隔的省份标识或代码，默认全部' })
  @ApiQuery({ name: 'only', required: false, enum: ['diff'], description: 'diff 只返回不同的行' })
  compare(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query('provinces') provinces?: string, @Query('only') only?: string): FastifyReply {
    if (only !== undefined && only !== 'diff') {
      throw profilesException(ProfilesErrorCode.COMPARE_BAD_QUERY, `参数 only 只能为 diff，收到“${only}”`, { only: '只能为 diff' });
    }
    const snapshot = this.registry.current();
    const requested = (provinces ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const compiled = requested.length > 0 ? [...new Set(requested.map((id) => this.registry.require(id)))] : [...snapshot.profiles];
    const key = `compare:${compiled.map((c) => c.profile.id).join(',')}:${only ?? ''}`;
    return sendDocument(request, reply, this.documents.get(snapshot, key, () => jsonDocument(compareProfiles(compiled, { onlyDiff: only === 'diff' }) satisfies Comparison)));
  }
}
