import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '#src/config/app-config.js';
import { ConfigModule } from '#src/config/config.module.js';
import { DatabaseModule } from '#src/database/database.module.js';
import type { EmbeddedDatabase } from '#src/database/embedded-database.js';
import { AppExceptionFilter } from '#src/errors/app-exception.filter.js';
import { HealthModule } from '#src/health/health.module.js';
import { loggerParams, type LoggerOptions } from '#src/logging/logger-params.js';
import { ProfilesModule } from '#src/profiles/profiles.module.js';

/** Built per config (main, each e2e file), hence dynamic. Use createApp() rather than this directly. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, embedded: EmbeddedDatabase | undefined, logger: LoggerOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config, logger)),
        DatabaseModule.forRoot(embedded),
        ProfilesModule,
        HealthModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: AppExceptionFilter }],
    };
  }
}
