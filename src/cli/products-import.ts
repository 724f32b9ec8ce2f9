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
import { systemClock } from '#src/clock/clock.js';
import { ConfigError, loadConfig } from '#src/config/load-config.js';
import { migrateForCli, openConfiguredDatabase } from '#src/cli/cli-database.js';
import { parseProductCsv, PRODUCT_CSV_COLUMNS } from '#src/procurement/products/product-csv.js';
import { ProductsRepository } from '#src/procurement/products/products.repository.js';

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
  const opened = await openConfiguredDatabase(config, err, '导入');
  if (!opened) return 1;
  try {
    await migrateForCli(opened.dataSource, out);
    const result = await new ProductsRepository(opened.dataSource).importCatalogue(parsed.entries, 'import', systemClock.now());
    out(`已导入国家基础产品信息 ${parsed.entries.length} 条（新增 ${result.added}，更新 ${result.updated}）`);
    return 0;
  } finally {
    await opened.close();
  }
}
