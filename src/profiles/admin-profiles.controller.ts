import { Controller, Get, HttpCode, Inject, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuditLog, requestOrigin } from '#src/audit/audit-log.js';
import { AdminTokenGuard } from '#src/authz/admin-token.guard.js';
import { ProfileRegistry } from '#src/profiles/profile-registry.service.js';
import { ProfileRevisionsService } from '#src/profiles/profile-revisions.service.js';
import { profilesException, ProfilesErrorCode } from '#src/profiles/profiles.exception.js';
import { formatIssue } from '#src/profiles/profile-issue.js';
import { profileReloadEvents } from '#src/profiles/profile-reload-audit.js';
import type { ProvinceId } from '#src/tenancy/tenant.js';

@ApiTags('管理：省份配置')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('api/v1/admin/profiles')
export class AdminProfilesController {
  constructor(
    @Inject(ProfileRegistry) private readonly registry: ProfileRegistry,
    @Inject(ProfileRevisionsService) private readonly revisions: ProfileRevisionsService,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  @Get()
  @ApiOperation({ summary: '当前加载的配置版本与上次失败的重新加载' })
  status() {
    const snapshot = this.registry.current();
    const failure = this.registry.lastReloadFailure();
    return {
      version: snapshot.version,
      loadedAt: snapshot.loadedAt,
      loaded: snapshot.profiles.map((p) => ({ id: p.profile.id, hash: p.hash })),
      lastFailure: failure ? { failedAt: failure.failedAt, issues: failure.issues.map((i) => ({ ...i, text: formatIssue(i) })) } : null,
    };
  }

  @Post('reload')
  @HttpCode(200)
  @ApiOperation({ summary: '重新加载全部省份配置：全部有效才替换，否则保持原配置并返回错误；受影响的省份各记一条操作日志' })
  async reload(@Req() request: FastifyRequest) {
    const outcome = await this.registry.reload();
    const origin = requestOrigin(request);
    // Ids from the registry's own outcome (or its files): each province's administrators read theirs.
    for (const { provinceId, event } of profileReloadEvents(outcome)) await this.audit.record(provinceId as ProvinceId, origin, event);
    if (!outcome.ok) {
      throw profilesException(ProfilesErrorCode.PROFILES_INVALID, `省份配置有 ${outcome.issues.length} 处错误，未加载；继续使用版本 ${outcome.version}`, undefined, {
        version: outcome.version,
        loaded: outcome.loaded,
        issues: outcome.issues.map((i) => ({ ...i, text: formatIssue(i) })),
      });
    }
    return { status: 'ok', version: outcome.version, loaded: outcome.loaded, changed: outcome.changed, removed: outcome.removed, loadedAt: outcome.loadedAt };
  }

  @Get(':id/revisions')
  @ApiOperation({ summary: '一个省份配置的上线记录（最新在前）' })
  async revisionsOf(@Param('id') id: string) {
    const { profile } = this.registry.require(id);
    const rows = await this.revisions.history(profile.id);
    return rows.map((r) => ({ hash: r.hash, loadedAt: r.loadedAt, provinceFile: r.provinceFile, nationalFile: r.nationalFile }));
  }
}
