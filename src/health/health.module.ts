import { Module } from '@nestjs/common';
import { HealthController } from '#src/health/health.controller.js';
import { MetricsController } from '#src/health/metrics.controller.js';
import { ProfilesModule } from '#src/profiles/profiles.module.js';
import { SmsModule } from '#src/sms/sms.module.js';

@Module({
  imports: [ProfilesModule, SmsModule],
  controllers: [HealthController, MetricsController],
})
export class HealthModule {}
