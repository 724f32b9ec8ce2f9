import { resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { createApp } from '#src/app-factory.js';
import type { AppConfig } from '#src/config/app-config.js';
import { loadConfig } from '#src/config/load-config.js';
import { describeStartupFailure } from '#src/startup-failure.js';
import { describeSmsSetup } from '#src/sms/sms-provider-factory.js';

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;
/** Past this, a hung shutdown (a stuck query, a client holding a socket) is cut short. */
const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await createApp(config);
  // Nest closes the app on these signals: HTTP server, data source, PGlite and its lock, in order.
  app.enableShutdownHooks([...SHUTDOWN_SIGNALS]);
  for (const signal of SHUTDOWN_SIGNALS) {
    process.once(signal, () => {
      new Logger('Boot').log(`收到 ${signal}，正在关闭（短信投递等待进行中的任务、HTTP、数据库）`);
      setTimeout(() => {
        process.stderr.write(`关闭超时（${SHUTDOWN_GRACE_MS} ms），强制退出\n`);
        process.exit(1);
      }, SHUTDOWN_GRACE_MS).unref();
    });
  }
  await app.listen({ port: config.port, host: config.host });
  logBoot(config, await app.getUrl());
}

function logBoot(config: AppConfig, url: string): void {
  const logger = new Logger('Boot');
  logger.log(`服务已启动：${url}（接口文档 ${url}/api/docs）`);
  logger.log(`数据库：${describeDatabase(config)}`);
  logger.log(config.devTools ? '开发工具：已开启（/api/v1/dev/*；短信发件箱页面 /dev/sms-outbox；仅供演示与测试）' : '开发工具：未开启');
  for (const { level, text } of describeSmsSetup(config)) logger[level](text);
}

function describeDatabase(config: AppConfig): string {
  if (config.database.kind === 'pglite') {
    const { dataDir } = config.database;
    return `嵌入式 PGlite，目录 ${dataDir.startsWith('memory://') ? '（仅内存）' : resolve(dataDir)}`;
  }
  const url = new URL(config.database.url);
  return `PostgreSQL ${url.hostname}:${url.port || '5432'}${url.pathname}`;
}

main().catch((error: unknown) => {
  // Plain stderr: the logger may not exist yet, and the message lists every problem, one per line.
  process.stderr.write(`${describeStartupFailure(error)}\n`);
  process.exit(1);
});
