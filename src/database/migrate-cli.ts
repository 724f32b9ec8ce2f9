import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { loadConfig } from '#src/config/load-config.js';
import { dataSourceOptions } from '#src/database/data-source-options.js';
import { EmbeddedDatabase } from '#src/database/embedded-database.js';
import { describeStartupFailure } from '#src/startup-failure.js';

/** `npm run migration:run`: apply pending migrations to the configured database, then exit. */
async function runMigrations(): Promise<void> {
  const logger = new Logger('Migrations');
  const config = loadConfig(process.env);
  const embedded = config.database.kind === 'pglite' ? await EmbeddedDatabase.open(config.database.dataDir) : undefined;
  try {
    const dataSource = new DataSource({ ...dataSourceOptions(config, embedded), migrationsRun: false });
    embedded?.attach(dataSource);
    await dataSource.initialize();
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    logger.log(applied.length ? `已执行 ${applied.length} 个迁移：${applied.map((m) => m.name).join(', ')}` : '数据库已是最新，无需迁移');
    await dataSource.destroy();
  } finally {
    await embedded?.close();
  }
}

runMigrations().catch((error: unknown) => {
  // Plain stderr: the message is for the person at the terminal and may span several lines.
  process.stderr.write(`${describeStartupFailure(error)}\n`);
  process.exitCode = 1;
});
