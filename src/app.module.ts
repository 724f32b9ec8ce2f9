import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '#src/config/app-config.js';
import type { Clock } from '#src/clock/clock.js';
import { ClockModule } from '#src/clock/clock.module.js';
import { ConfigModule } from '#src/config/config.module.js';
import { DatabaseModule } from '#src/database/database.module.js';
import type { EmbeddedDatabase } from '#src/database/embedded-database.js';
import { AppExceptionFilter } from '#src/errors/app-exception.filter.js';
import { HealthModule } from '#src/health/health.module.js';
import { MetricsModule } from '#src/health/metrics.module.js';
import { DevToolsModule } from '#src/dev-tools/dev-tools.module.js';
import { SmsModule } from '#src/sms/sms.module.js';
import { VerificationModule } from '#src/verification/verification.module.js';
import { loggerParams, type LoggerOptions } from '#src/logging/logger-params.js';
import { ProfilesModule } from '#src/profiles/profiles.module.js';
import { FeedbackModule } from '#src/feedback/feedback.module.js';
import { NationalRegistryModule } from '#src/national-registry/national-registry.module.js';
import { IdentityModule } from '#src/identity/identity.module.js';
import { HallModule } from '#src/hall/hall.module.js';
import { ProcurementModule } from '#src/procurement/procurement.module.js';
import { IdentityPagesModule } from '#src/identity/pages/identity-pages.module.js';
import { AdministrationModule } from '#src/administration/administration.module.js';
import { CaModule } from '#src/ca/ca.module.js';
import { PortalModule } from '#src/portal/portal.module.js';
import { TenancyModule } from '#src/tenancy/tenancy.module.js';

/** Built per config (main, each e2e file), hence dynamic. Use createApp() rather than this directly. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, embedded: EmbeddedDatabase | undefined, logger: LoggerOptions = {}, clock?: Clock, extraModules: ReadonlyArray<Type | DynamicModule> = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        ClockModule.forRoot(clock),
        MetricsModule,
        LoggerModule.forRoot(loggerParams(config, logger)),
        DatabaseModule.forRoot(embedded),
        ProfilesModule,
        HealthModule,
        SmsModule,
        VerificationModule,
        DevToolsModule,
        TenancyModule,
        PortalModule,
        FeedbackModule,
        NationalRegistryModule,
        IdentityModule,
        HallModule,
        ProcurementModule,
        IdentityPagesModule,
        AdministrationModule,
        CaModule,
        ...extraModules,
      ],
      providers: [{ provide: APP_FILTER, useClass: AppExceptionFilter }],
    };
  }
}
