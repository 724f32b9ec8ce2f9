import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import type { DataSource } from 'typeorm';
import { Public } from '#src/authz/public.decorator.js';
import { checkDatabase, type DatabaseStatus } from '#src/database/database-health.js';
import { ProfileRegistry } from '#src/profiles/profile-registry.service.js';

export interface HealthReport {
  status: 'ok' | 'degraded';
  profiles: ReturnType<ProfileRegistry['health']>;
  db: DatabaseStatus;
  queue: { adapter: 'none' | 'inline' | 'bullmq' };
}

@ApiTags('运行状态')
@Controller('health')
export class HealthController {
  // Explicit tokens: `npm run start:dev` runs through tsx, which emits no decorator metadata.
  constructor(
    @Inject(ProfileRegistry) private readonly registry: ProfileRegistry,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * 503 only when the database is down (nothing works without it); a failed profile reload leaves
   * the last good set serving, so that is 200 "degraded".
   */
  @Public()
  @Get()
  @ApiOperation({ summary: '健康检查：省份配置、数据库、队列' })
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    const db = await checkDatabase(this.dataSource);
    const profiles = this.registry.health();
    if (db === 'down') void reply.status(HttpStatus.SERVICE_UNAVAILABLE);
    return {
      status: db === 'up' && profiles.errors.length === 0 ? 'ok' : 'degraded',
      profiles,
      db,
      // The SMS queue is not built yet; the sms room will report its adapter here.
      queue: { adapter: 'none' },
    };
  }
}
