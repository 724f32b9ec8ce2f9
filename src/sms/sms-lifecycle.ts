import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { APP_CONFIG, type AppConfig } from '#src/config/app-config.js';
import { CLOCK, type Clock } from '#src/clock/clock.js';
import { BullMqSmsQueue, BullMqSmsWorker } from '#src/sms/bullmq-sms-queue.js';
import { redisOptionsFromUrl } from '#src/sms/redis-connection.js';
import { mountBullBoard } from '#src/sms/sms-board.js';
import { SmsDelivery } from '#src/sms/sms-delivery.js';
import { SmsMessageStore } from '#src/sms/sms-message.store.js';
import { SMS_QUEUE, type SmsQueue } from '#src/sms/sms-queue.js';
import { logDeliveryFailure } from '#src/sms/sms-failure-log.js';

/**
 * The SMS room's moving parts over the app's life: Bull Board mounted before Fastify is ready; the
 * BullMQ worker started at bootstrap (when this process delivers); unfinished messages enqueued
 * again; and at shutdown the worker, then the queue, closed before the database goes.
 */
@Injectable()
export class SmsLifecycle implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('SmsQueue');
  private worker: BullMqSmsWorker | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SMS_QUEUE) private readonly queue: SmsQueue,
    @Inject(SmsDelivery) private readonly delivery: SmsDelivery,
    @Inject(SmsMessageStore) private readonly store: SmsMessageStore,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    if (this.queue instanceof BullMqSmsQueue) {
      mountBullBoard(this.adapterHost.httpAdapter.getInstance<FastifyInstance>(), this.queue.queue, this.config.adminToken);
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.queue instanceof BullMqSmsQueue && this.config.sms.worker && this.config.redisUrl) {
      this.worker = new BullMqSmsWorker(redisOptionsFromUrl(this.config.redisUrl), this.config.sms.queuePrefix, (job) => this.delivery.deliver(job), {
        onFailure: (job, error, attempt, final) => logDeliveryFailure(this.logger, job, error, attempt, final),
      });
    }
    await this.recover();
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }

  /** What a previous process left unfinished (the inline queue's memory, a failed enqueue) goes back on the queue. */
  private async recover(): Promise<void> {
    try {
      const now = this.clock.now();
      const expired = await this.store.expireStale(now);
      const pending = await this.store.unfinished(now);
      for (const message of pending) await this.queue.enqueue({ messageId: message.id, provinceId: message.provinceId });
      if (expired + pending.length > 0) this.logger.log(`启动时恢复未完成的短信：重新入队 ${pending.length} 条，过期放弃 ${expired} 条`);
    } catch (error) {
      this.logger.warn(`启动时恢复未完成的短信失败：${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
