/**
 * The database `npm start` uses, opened by a maintainers' command (registry import, products
 * import, admin create): PGlite in PGLITE_DIR — locked while the server runs — or DATABASE_URL,
 * with pending migrations applied first.
 */
import { DataSource } from 'typeorm';
import type { AppConfig } from '#src/config/app-config.js';
import { DataDirLockedError } from '#src/database/data-dir-lock.js';
import { dataSourceOptions } from '#src/database/data-source-options.js';
import { EmbeddedDatabase } from '#src/database/embedded-database.js';
import { displayPath } from '#src/profiles/profile-files.js';

export interface OpenedDatabase {
  dataSource: DataSource;
  close(): Promise<void>;
}

/**
 * Undefined (having said why on `err`) when the embedded database is held by a running server;
 * `doing` names what the command would do, for that message (导入, 创建管理员).
 */
export async function openConfiguredDatabase(config: AppConfig, err: (text: string) => void, doing: string): Promise<OpenedDatabase | undefined> {
  let embedded: EmbeddedDatabase | undefined;
  try {
    embedded = config.database.kind === 'pglite' ? await EmbeddedDatabase.open(config.database.dataDir) : undefined;
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    err(
      `嵌入式数据库 ${displayPath(error.dataDir)} 正被进程 ${error.holderPid} 使用，多半是正在运行的服务（npm start）。\n` +
        `请先停止服务再${doing}；或设置 DATABASE_URL，在服务所用的 PostgreSQL 中${doing}（运行中的服务立即可见）。`,
    );
    return undefined;
  }
  const dataSource = new DataSource({ ...dataSourceOptions(config, embedded), migrationsRun: false });
  embedded?.attach(dataSource);
  try {
    await dataSource.initialize();
  } catch (error) {
    await embedded?.close();
    throw error;
  }
  return {
    dataSource,
    close: async () => {
      if (embedded) await embedded.close();
      else await dataSource.destroy();
    },
  };
}

/** Pending migrations, each in its own transaction; says how many ran. */
export async function migrateForCli(dataSource: DataSource, out: (text: string) => void): Promise<void> {
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  if (applied.length > 0) out(`已执行 ${applied.length} 个数据库迁移`);
}
