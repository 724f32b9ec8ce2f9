/**
 * `npm run province -- registry import <file.csv>`: loads units and their medical institutions into
 * the national registry kept in the configured database (the one `npm start` uses: PGlite in
 * PGLITE_DIR, or DATABASE_URL), after applying pending migrations. The file is checked completely
 * first (registry-csv.ts); one bad line and nothing is written.
 */
import 'reflect-metadata';
import { readFile } from 'node:fs/promises';
import { Logger } from '@nestjs/common';
import { systemClock } from '#src/clock/clock.js';
import { ConfigError, loadConfig } from '#src/config/load-config.js';
import { migrateForCli, openConfiguredDatabase } from '#src/cli/cli-database.js';
import { DatabaseNationalRegistry } from '#src/national-registry/database-national-registry.js';
import { parseRegistryCsv, registryCsvContext } from '#src/national-registry/registry-csv.js';
import { compileProfileDir } from '#src/profiles/profile-files.js';
import { formatIssue } from '#src/profiles/profile-issue.js';

export const REGISTRY_USAGE = `用法：npm run province -- registry import <文件.csv>
  CSV（UTF-8）表头：uscc,name,province,roleTypes,institutionCode,institutionName,institutionKind[,note]
  示例：test/fixtures/registry-example.csv`;

const out = (text: string) => process.stdout.write(text.endsWith('\n') ? text : text + '\n');
const err = (text: string) => process.stderr.write(text.endsWith('\n') ? text : text + '\n');

/** The `registry` subcommand of the province CLI; answers the exit code. */
export async function registryCommand(args: readonly string[]): Promise<number> {
  const [action, file, ...extra] = args;
  if (action !== 'import' || !file || extra.length > 0) {
    err(action && action !== 'import' ? `未知的 registry 子命令“${action}”\n\n${REGISTRY_USAGE}` : REGISTRY_USAGE);
    return 2;
  }
  try {
    return await importFile(file);
  } catch (error) {
    // The import is one transaction: whatever failed, none of the file was written.
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

  const { profiles, issues } = await compileProfileDir(config.profilesDir);
  if (issues.length > 0) {
    for (const issue of issues) err(formatIssue(issue));
    err(`省份配置有 ${issues.length} 处错误，请先修正（npm run province -- validate）`);
    return 1;
  }
  const parsed = parseRegistryCsv(bytes, registryCsvContext(profiles.map((p) => p.profile)));
  if (!parsed.ok) {
    for (const line of parsed.errors) err(line);
    err(`\n${file} 有 ${parsed.errors.length} 处错误，未导入任何数据。`);
    return 1;
  }

  // Migration and query logs are the server's business; here the summary line says it all.
  Logger.overrideLogger(['error', 'warn']);
  const opened = await openConfiguredDatabase(config, err, '导入');
  if (!opened) return 1;
  try {
    await migrateForCli(opened.dataSource, out);
    const result = await new DatabaseNationalRegistry(opened.dataSource, systemClock).importRows(parsed.entries, 'import');
    out(`已导入 ${result.entries} 条单位、${result.institutions} 家医疗机构`);
    return 0;
  } finally {
    await opened.close();
  }
}
