import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import type { DataSource } from 'typeorm';
import { Public } from '#src/authz/public.decorator.js';
import { checkDatabase, type DatabaseStatus } from '#src/database/database-health.js';
import { NODE_IDENTITY, type NodeIdentity } from '#src/profiles/node-identity.js';
import { ProfileRegistry } from '#src/profiles/profile-registry.service.js';
import { ProfileSync, type ProfileSyncStatus } from '#src/profiles/profile-sync.js';
import { SmsMonitor, type SmsQueueHealth } from '#src/sms/sms-monitor.js';

export interface HealthReport {
  status: 'ok' | 'degraded';
  /** `version` is the set's content hash: nodes serving the same files report the same one. */
  profiles: ReturnType<ProfileRegistry['health']> & { node: NodeIdentity; sync: ProfileSyncStatus };
  db: DatabaseStatus;
  queue: SmsQueueHealth;
}

@ApiTags('运行状态')
@Controller('health')
export class HealthController {
  // Explicit tokens: `npm run start:dev` runs through tsx, which emits no decorator metadata.
  constructor(
    @Inject(ProfileRegistry) private readonly registry: ProfileRegistry,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SmsMonitor) private readonly sms: SmsMonitor,
    @Inject(ProfileSync) private readonly sync: ProfileSync,
    @Inject(NODE_IDENTITY) private readonly node: NodeIdentity,
  ) {}

  /**
   * 503 only when the database is down (nothing works without it); a failed profile reload leaves
   * the last good set serving, and an unreachable Redis stops SMS only, so both are 200 "degraded".
   */
  @Public()
  @Get()
  @ApiOperation({ summary: '健康检查：省份配置（本节点的版本与节点标识）、数据库、短信队列（深度与最近 24 小时投递计数）' })
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    const [db, queue] = await Promise.all([checkDatabase(this.dataSource), this.sms.health()]);
    const profiles = { ...this.registry.health(), node: this.node, sync: this.sync.status() };
    if (db === 'down') void reply.status(HttpStatus.SERVICE_UNAVAILABLE);
    return {
      status: db === 'up' && profiles.errors.length === 0 && queue.status === 'up' ? 'ok' : 'degraded',
      profiles,
      db,
      queue,
    };
  }
}
