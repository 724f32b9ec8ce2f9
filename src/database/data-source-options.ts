import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '#src/config/app-config.js';
import type { EmbeddedDatabase } from '#src/database/embedded-database.js';
import { MIGRATIONS } from '#src/database/migration-list.js';
import { TypeOrmLogger } from '#src/database/typeorm-logger.js';

export type PostgresOptions = Extract<DataSourceOptions, { type: 'postgres' }>;

const SLOW_QUERY_MS = 1000;

/**
 * One set of options for both databases, so the same migrations run on each. `embedded` is
 * required when the config names PGlite (it is opened, and locked, by the caller).
 */
export function dataSourceOptions(config: AppConfig, embedded: EmbeddedDatabase | undefined): PostgresOptions {
  const common = {
    type: 'postgres' as const,
    migrations: [...MIGRATIONS],
    migrationsRun: true,
    synchronize: false,
    // Extensions belong in reviewed migrations, and PGlite ships few of them.
    installExtensions: false,
    logger: new TypeOrmLogger(),
    maxQueryExecutionTime: SLOW_QUERY_MS,
    applicationName: 'province-engine',
  };

  if (config.database.kind === 'postgres') {
    return { ...common, url: config.database.url, poolSize: 10, connectTimeoutMS: 5000 };
  }
  if (!embedded) throw new Error('嵌入式数据库尚未打开：dataSourceOptions() 需要 EmbeddedDatabase');
  return {
    ...common,
    // PGlite is one session: a second pooled client would interleave with the first.
    poolSize: 1,
    // idleTimeoutMillis 0 keeps that one client for the app's lifetime instead of reconnecting.
    extra: { ...embedded.pgConfig(), max: 1, idleTimeoutMillis: 0 },
  };
}

/** A connection problem worth retrying at boot; a failing migration is not. */
export function isTransientConnectError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', '57P03'].includes(code);
}
