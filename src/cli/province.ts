/**
 * The maintainers' CLI: `npm run province -- validate|show|compare|new …`. Works on the files in
 * PROFILES_DIR (default ./provinces) without a database or a running server.
 */
import { parseArgs } from 'node:util';
import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { compileNamedFiles, compileProfileDir, displayPath } from '#src/profiles/profile-files.js';
import { compileProfiles, NATIONAL_FILE, type CompiledProfile } from '#src/profiles/profile-compiler.js';
import { formatIssue } from '#src/profiles/profile-issue.js';
import { compareProfiles } from '#src/profiles/profile-compare.js';
import { scaffoldProvince } from '#src/profiles/profile-scaffold.js';
import { renderComparison, type CompareFormat } from '#src/cli/compare-format.js';

const USAGE = `用法：npm run province -- <命令>
  validate [文件…]                              校验省份配置（默认 provinces/ 下全部），有错误时逐行列出并以 1 退出
  show <省份>                                   打印合并国家基线后的完整配置（YAML）
  compare <省份…> [--only-diff] [--format table|markdown|json]
                                                比较各省规则（不写省份则比较全部）
  new <标识> --code <GB/T 2260> --name <名称> [--from <省份>]
                                                生成一个立即可通过校验的新省份配置
  registry import <文件.csv>                    导入国家编码库（服务所用的数据库；有错误时逐行列出，一行也不导入）
  admin create --province <省份> --account <账号> [--name <姓名>] [--generate]
                                                创建省级管理员（服务所用的数据库）；终端中两次输入密码，否则生成并只显示一次
  products import <文件.csv>                    导入国家基础产品信息（挂网产品对码 JL-16；有错误时逐行列出，一行也不导入）
  ca init|issue|sign|show …                     测试 CA 与客户端证书（RSA、ECDSA、SM2），代替 USB Key 对挑战码签名（npm run province -- ca 查看用法）
环境变量 PROFILES_DIR 指定配置目录（默认 ./provinces）。`;

const out = (text: string) => process.stdout.write(text.endsWith('\n') ? text : text + '\n');
const err = (text: string) => process.stderr.write(text.endsWith('\n') ? text : text + '\n');

class UsageError extends Error {}

const profilesDir = process.env.PROFILES_DIR ?? 'provinces';

async function loadAll(): Promise<CompiledProfile[]> {
  const { profiles, issues } = await compileProfileDir(profilesDir);
  if (issues.length > 0) {
    for (const issue of issues) err(formatIssue(issue));
    throw new UsageError(`配置有 ${issues.length} 处错误，请先修正（npm run province -- validate）`);
  }
  return profiles;
}

function pick(profiles: CompiledProfile[], idOrCode: string): CompiledProfile {
  const found = profiles.find((p) => p.profile.id === idOrCode || p.profile.code === idOrCode);
  if (!found) throw new UsageError(`未找到省份“${idOrCode}”。可用的省份：${profiles.map((p) => p.profile.id).join('、')}`);
  return found;
}

async function validate(files: string[]): Promise<number> {
  const { profiles, issues } = files.length > 0 ? await compileNamedFiles(files) : await compileProfileDir(profilesDir);
  for (const issue of issues) err(formatIssue(issue));
  if (issues.length > 0) {
    err(`\n共 ${issues.length} 处错误。`);
    return 1;
  }
  out(`✓ ${profiles.length} 个省份配置有效：${profiles.map((p) => `${p.profile.id}（${p.profile.name}）`).join('、')}`);
  return 0;
}

async function show(id: string | undefined): Promise<number> {
  if (!id) throw new UsageError('show 需要一个省份标识或代码');
  out(stringify(pick(await loadAll(), id).profile, { lineWidth: 0 }));
  return 0;
}

async function compare(ids: string[], onlyDiff: boolean, format: string): Promise<number> {
  if (!['table', 'markdown', 'json'].includes(format)) throw new UsageError(`--format 只能为 table、markdown 或 json，收到“${format}”`);
  const all = await loadAll();
  const chosen = ids.length > 0 ? ids.map((id) => pick(all, id)) : all;
  out(renderComparison(compareProfiles(chosen, { onlyDiff }), format as CompareFormat));
  return 0;
}

async function scaffold(id: string | undefined, code: string | undefined, name: string | undefined, from: string | undefined): Promise<number> {
  if (!id || !code || !name) throw new UsageError('new 需要 <标识> --code <代码> --name <名称>');
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) throw new UsageError(`标识“${id}”只能由小写字母、数字和连字符组成`);
  const target = join(profilesDir, `${id}.yaml`);
  if (await access(target).then(() => true, () => false)) throw new UsageError(`${displayPath(target)} 已存在，未覆盖`);
  const fromText = from ? await readFile(pick(await loadAll(), from).files.province, 'utf8') : undefined;
  const { text, checklist } = scaffoldProvince({ id, code, name, fromText, fromId: from });
  // Prove it validates against the real national base and the other provinces before writing it.
  const national = join(profilesDir, NATIONAL_FILE);
  const others = (await compileProfileDir(profilesDir)).profiles;
  const { issues } = compileProfiles({ path: displayPath(national), text: await readFile(national, 'utf8') }, [{ path: displayPath(target), text }]);
  const clash = others.find((p) => p.profile.code === code);
  if (clash) throw new UsageError(`行政区划代码 ${code} 已被 ${clash.profile.id} 使用`);
  if (issues.length > 0) {
    for (const issue of issues) err(formatIssue(issue));
    throw new UsageError('生成的配置未通过校验，未写入（请检查参数）');
  }
  await writeFile(target, text);
  out(`已生成 ${displayPath(target)}，校验通过。请补充：\n${checklist.map((c) => `  - ${c}`).join('\n')}\n完成后运行 npm run province -- validate；服务运行时配置会自动或经 POST /api/v1/admin/profiles/reload 重新加载。`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  // Its options are its own (--province, --account…): it parses them itself, and only it needs the database.
  if (argv[0] === 'admin') return (await import('#src/cli/admin-create.js')).adminCommand(argv.slice(1));
  if (argv[0] === 'ca') return (await import('#src/ca/ca-cli.js')).caCommand(argv.slice(1));
  if (argv[0] === 'products') return (await import('#src/cli/products-import.js')).productsCommand(argv.slice(1));
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'only-diff': { type: 'boolean', default: false },
      format: { type: 'string', default: 'table' },
      code: { type: 'string' },
      name: { type: 'string' },
      from: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    out(USAGE);
    return command || values.help ? 0 : 2;
  }
  switch (command) {
    case 'validate':
      return validate(rest);
    case 'show':
      return show(rest[0]);
    case 'compare':
      return compare(rest, values['only-diff'], values.format);
    case 'new':
      return scaffold(rest[0], values.code, values.name, values.from);
    case 'registry':
      // Loaded on demand: only this command needs the database.
      return (await import('#src/cli/registry-import.js')).registryCommand(rest);
    default:
      throw new UsageError(`未知命令“${command}”\n\n${USAGE}`);
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError || (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
    err(error.message);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
