import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as TypeOrmLoggerContract } from 'typeorm';

/** TypeORM's own loggers write to the console; route what matters through the app's logger instead. */
export class TypeOrmLogger implements TypeOrmLoggerContract {
  private readonly logger = new NestLogger('TypeORM');

  logQuery(): void {
    // Every query at info level would drown the request log.
  }

  logQueryError(error: string | Error, query: string): void {
    this.logger.error(`查询失败：${error instanceof Error ? error.message : error} — ${query}`);
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`慢查询 ${time} ms：${query}`);
  }

  logSchemaBuild(): void {
    // Never used: the schema comes from migrations only (no synchronize).
  }

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    const text = typeof message === 'string' ? message : JSON.stringify(message);
    if (level === 'warn') this.logger.warn(text);
    else this.logger.debug?.(text);
  }
}
