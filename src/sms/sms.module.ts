import { Logger, Module } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '#src/config/app-config.js';
import { CLOCK, type Clock } from '#src/clock/clock.js';
import { METRICS_REGISTRY } from '#src/health/metrics.module.js';
import { ProfileRegistry } from '#src/profiles/profile-registry.service.js';
import { ProfilesModule } from '#src/profiles/profiles.module.js';
import { BullMqSmsQueue } from '#src/sms/bullmq-sms-queue.js';
import { InlineSmsQueue } from '#src/sms/inline-sms-queue.js';
import { PayloadSealer } from '#src/sms/payload-sealer.js';
import { OutboxSmsProvider } from '#src/sms/providers/outbox-sms.provider.js';
import { SMS_PROVIDER, type SmsProvider } from '#src/sms/providers/sms-provider.js';
import { createSmsProvider } from '#src/sms/sms-provider-factory.js';
import { redisOptionsFromUrl } from '#src/sms/redis-connection.js';
import { SmsDelivery } from '#src/sms/sms-delivery.js';
import { logDeliveryFailure } from '#src/sms/sms-failure-log.js';
import { SmsLifecycle } from '#src/sms/sms-lifecycle.js';
import { SmsMessage } from '#src/sms/sms-message.entity.js';
import { SmsMessageStore } from '#src/sms/sms-message.store.js';
import { SmsDeliveryCounter, SmsMonitor } from '#src/sms/sms-monitor.js';
import { SmsOutbound } from '#src/sms/sms-outbound.js';
import { SMS_QUEUE, type SmsQueue } from '#src/sms/sms-queue.js';
import { SmsTemplates } from '#src/sms/sms-templates.js';

/**
 * Queue port + adapter (BullMQ when REDIS_URL is set, in-process otherwise), the provider chosen by
 * SMS_PROVIDER, templates, and the delivery worker. Plain classes wired by factories: the standalone
 * worker (sms-worker-main) builds the same ones without Nest.
 */
@Module({
  imports: [ProfilesModule, TypeOrmModule.forFeature([SmsMessage])],
  providers: [
    { provide: PayloadSealer, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new PayloadSealer(config.sms.codeSecret) },
    { provide: SmsMessageStore, inject: [getDataSourceToken()], useFactory: (dataSource: DataSource) => new SmsMessageStore(dataSource) },
    { provide: OutboxSmsProvider, inject: [getDataSourceToken(), CLOCK], useFactory: (dataSource: DataSource, clock: Clock) => new OutboxSmsProvider(dataSource, clock) },
    {
      provide: SMS_PROVIDER,
      inject: [APP_CONFIG, CLOCK, OutboxSmsProvider],
      useFactory: (config: AppConfig, clock: Clock, outbox: OutboxSmsProvider) => createSmsProvider(config, clock, outbox),
    },
    { provide: SmsDeliveryCounter, inject: [METRICS_REGISTRY], useFactory: (registry: Registry) => new SmsDeliveryCounter(registry) },
    {
      provide: SmsDelivery,
      inject: [SmsMessageStore, SMS_PROVIDER, PayloadSealer, CLOCK, SmsDeliveryCounter],
      useFactory: (store: SmsMessageStore, provider: SmsProvider, sealer: PayloadSealer, clock: Clock, counter: SmsDeliveryCounter) =>
        new SmsDelivery(store, provider, sealer, clock, (outcome, name) => counter.count(outcome, name)),
    },
    {
      provide: SMS_QUEUE,
      inject: [APP_CONFIG, SmsDelivery],
      useFactory: (config: AppConfig, delivery: SmsDelivery): SmsQueue => {
        if (config.redisUrl) return new BullMqSmsQueue(redisOptionsFromUrl(config.redisUrl), config.sms.queuePrefix);
        const logger = new Logger('SmsQueue');
        return new InlineSmsQueue((job) => delivery.deliver(job), { onFailure: (job, error, attempt, final) => logDeliveryFailure(logger, job, error, attempt, final) });
      },
    },
    {
      provide: SmsTemplates,
      inject: [APP_CONFIG, ProfileRegistry],
      useFactory: (config: AppConfig, registry: ProfileRegistry) => new SmsTemplates(config.templatesDir, () => registry.current().version),
    },
    {
      provide: SmsOutbound,
      inject: [SmsMessageStore, PayloadSealer, SMS_QUEUE, SmsTemplates, CLOCK],
      useFactory: (store: SmsMessageStore, sealer: PayloadSealer, queue: SmsQueue, templates: SmsTemplates, clock: Clock) => new SmsOutbound(store, sealer, queue, templates, clock),
    },
    {
      provide: SmsMonitor,
      inject: [SMS_QUEUE, SmsMessageStore, CLOCK, METRICS_REGISTRY],
      useFactory: (queue: SmsQueue, store: SmsMessageStore, clock: Clock, registry: Registry) => new SmsMonitor(queue, store, clock, registry),
    },
    SmsLifecycle,
  ],
  exports: [SmsOutbound, SmsMonitor, OutboxSmsProvider, SmsMessageStore, SMS_QUEUE, TypeOrmModule],
})
export class SmsModule {}
