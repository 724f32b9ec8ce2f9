/**
 * `npm run province -- products import <file.csv>`: loads entries of the national base product
 * catalogue (国家基础产品信息, JL-16) into the configured database (the one `npm start` uses: PGlite
 * in PGLITE_DIR, or DATABASE_URL), after applying pending migrations. The file is checked
 * completely first (product-csv.ts); one bad line and nothing is written. An entry whose code is
 * already there is replaced, so a newer catalogue file can be loaded over an older one.
 */
import 'reflect-metadata';
import { readFile } from 'node:fs/promises';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { systemClock } from '#src/clock/clock.js';
import { ConfigError, loadConfig } from '#src/config/load-config.js';
import { DataDirLockedError } from '#src/database/data-dir-lock.js';
import { dataSourceOptions } from '#src/database/data-source-options.js';
import { EmbeddedDatabase } from '#src/database/embedded-database.js';
import { parseProductCsv, PRODUCT_CSV_COLUMNS } from '#src/procurement/products/product-csv.js';
import { ProductsRepository } from '#src/procurement/products/products.repository.js';
import { displayPath } from '#src/profiles/profile-files.js';

export const PRODUCTS_USAGE = `用法：npm run province -- products import <文件.csv>
  CSV（UTF-8）表头：${PRODUCT_CSV_COLUMNS.join(',')}
  示例：test/fixtures/national-products-example.csv`;

const out = (text: string) => process.stdout.write(text.endsWith('\n') ? text : text + '\n');
const err = (text: string) => process.stderr.write(text.endsWith('\n') ? text : text + '\n');

/** The `products` subcommand of the province CLI; answers the exit code. */
export async function productsCommand(args: readonly string[]): Promise<number> {
  const [action, file, ...extra] = args;
  if (action !== 'import' || !file || extra.length > 0) {
    err(action && action !== 'import' ? `未知的 products 子命令“${action}”\n\n${PRODUCTS_USAGE}` : PRODUCTS_USAGE);
    return 2;
  }
  try {
    return await importFile(file);
  } catch (error) {
    err(`导入失败，未写入任何数据：${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

async function importFile(file: string): Promise<number> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    err(`无法读取 ${file}：${(error as NodeJS.ErrnoException).code === 'ENOENT' ? '文件不存在' : String(error)}`);
    return 2;
  }
  const parsed = parseProductCsv(bytes);
  if (!parsed.ok) {
    for (const line of parsed.errors) err(line);
    err(`\n${file} 有 ${parsed.errors.length} 处错误，未导入任何数据。`);
    return 1;
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      err(error.message);
      return 1;
    }
    throw error;
  }

  Logger.overrideLogger(['error', 'warn']);
  let embedded: EmbeddedDatabase | undefined;
  try {
    embedded = config.database.kind === 'pglite' ? await EmbeddedDatabase.open(config.database.dataDir) : undefined;
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      err(`嵌入式数据库 ${displayPath(error.dataDir)} 正被进程 ${error.holderPid} 使用，多半是正在运行的服务（npm start）。\n请先停止服务再导入；或设置 DATABASE_URL，把数据导入服务所用的 PostgreSQL。`);
      return 1;
    }
    throw error;
  }
  try {
    const dataSource = new DataSource({ ...dataSourceOptions(config, embedded), migrationsRun: false });
    embedded?.attach(dataSource);
    await dataSource.initialize();
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      if (applied.length > 0) out(`已执行 ${applied.length} 个数据库迁移`);
      const result = await new ProductsRepository(dataSource).importCatalogue(parsed.entries, 'import', systemClock.now());
      out(`已导入国家基础产品信息 ${parsed.entries.length} 条（新增 ${result.added}，更新 ${result.updated}）`);
    } finally {
      await dataSource.destroy();
    }
    return 0;
  } finally {
    await embedded?.close();
  }
}
