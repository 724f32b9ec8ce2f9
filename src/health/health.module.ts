import { Module } from '@nestjs/common';
import { HealthController } from '#src/health/health.controller.js';
import { ProfilesModule } from '#src/profiles/profiles.module.js';

@Module({
  imports: [ProfilesModule],
  controllers: [HealthController],
})
export class HealthModule {}
