import { Logger } from '@nestjs/common';
import { loadConfig } from '#src/config/load-config.js';
import { describeStartupFailure } from '#src/startup-failure.js';
import { logDeliveryFailure } from '#src/sms/sms-failure-log.js';
import { describeSmsSetup } from '#src/sms/sms-provider-factory.js';
import { startStandaloneWorker } from '#src/sms/sms-worker-runtime.js';

/**
 * `node dist/src/sms/sms-worker-main.js`: delivers SMS from the BullMQ queue in a process of its
 * own (the web processes then run with SMS_WORKER=false). Same environment as the app: DATABASE_URL,
 * REDIS_URL, SMS_QUEUE_PREFIX, SMS_CODE_SECRET, SMS_PROVIDER and its credentials.
 */
async function main(): Promise<void> {
  const logger = new Logger('SmsWorker');
  const config = loadConfig(process.env);
  const running = await startStandaloneWorker(config, {
    worker: { onFailure: (job, error, attempt, final) => logDeliveryFailure(logger, job, error, attempt, final) },
  });
  for (const { level, text } of describeSmsSetup(config)) logger[level](text);
  logger.log('短信 worker 已启动');
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.log(`收到 ${signal}，等待进行中的投递完成后退出`);
      running.close().then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`${describeStartupFailure(error)}\n`);
          process.exit(1);
        },
      );
    });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${describeStartupFailure(error)}\n`);
  process.exit(1);
});
