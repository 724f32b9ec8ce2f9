import { DataSource } from 'typeorm';
import type { AppConfig } from '#src/config/app-config.js';
import { systemClock, type Clock } from '#src/clock/clock.js';
import { BullMqSmsWorker, type SmsWorkerOptions } from '#src/sms/bullmq-sms-queue.js';
import { PayloadSealer } from '#src/sms/payload-sealer.js';
import { OutboxSmsProvider } from '#src/sms/providers/outbox-sms.provider.js';
import type { SmsProvider } from '#src/sms/providers/sms-provider.js';
import { redisOptionsFromUrl } from '#src/sms/redis-connection.js';
import { SmsDelivery } from '#src/sms/sms-delivery.js';
import { SmsMessageStore } from '#src/sms/sms-message.store.js';
import { createSmsProvider } from '#src/sms/sms-provider-factory.js';

export interface StandaloneWorkerOptions {
  worker?: SmsWorkerOptions;
  clock?: Clock;
  /** Tests wrap the provider to count the calls it gets. */
  wrapProvider?: (provider: SmsProvider) => SmsProvider;
}

export interface StandaloneWorker {
  readonly worker: BullMqSmsWorker;
  /** Graceful: the running jobs finish, then Redis and the database are closed. */
  close(): Promise<void>;
}

/**
 * The delivery worker without the web app (no Nest): the same store, sealer, provider and handler
 * as the app's in-process worker, on BullMQ. Needs Redis and a PostgreSQL server: the embedded
 * PGlite cannot be shared between processes. Migrations are the app's job; the worker never runs them.
 */
export async function startStandaloneWorker(config: AppConfig, options: StandaloneWorkerOptions = {}): Promise<StandaloneWorker> {
  if (!config.redisUrl) throw new Error('独立的短信 worker 需要 REDIS_URL');
  if (config.database.kind !== 'postgres') throw new Error('独立的短信 worker 需要 DATABASE_URL（嵌入式 PGlite 不能被两个进程共用）');
  const clock = options.clock ?? systemClock;
  const dataSource = new DataSource({ type: 'postgres', url: config.database.url, poolSize: 10, applicationName: 'province-engine-sms-worker', logging: false });
  await dataSource.initialize();
  try {
    const store = new SmsMessageStore(dataSource);
    const provider = createSmsProvider(config, clock, new OutboxSmsProvider(dataSource, clock));
    const delivery = new SmsDelivery(store, options.wrapProvider ? options.wrapProvider(provider) : provider, new PayloadSealer(config.sms.codeSecret), clock);
    const worker = new BullMqSmsWorker(redisOptionsFromUrl(config.redisUrl), config.sms.queuePrefix, (job) => delivery.deliver(job), options.worker);
    return {
      worker,
      close: async () => {
        await worker.close();
        await dataSource.destroy();
      },
    };
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
}
