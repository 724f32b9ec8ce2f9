import { Controller, Get, Header, Inject, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Registry } from 'prom-client';
import { AdminTokenGuard } from '#src/authz/admin-token.guard.js';
import { METRICS_REGISTRY } from '#src/health/metrics.module.js';

/**
 * Prometheus metrics. Behind the admin token on purpose: the process metrics say more about the
 * host than /health does (Prometheus sends it as `authorization: {credentials: …}`).
 */
@ApiTags('运行状态')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus 指标：短信队列深度、投递计数、进程指标（管理令牌）' })
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
