/**
 * `npm run province -- admin create --province <id> --account <name> [--name <姓名>] [--generate]`:
 * creates a province administrator in the configured database (PGlite in PGLITE_DIR, or
 * DATABASE_URL), after applying pending migrations. The password is typed twice at a terminal
 * (not echoed), or, when no one is at one or --generate is given, generated and printed once.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { Logger } from '@nestjs/common';
import { generatePassword } from '#src/identity/checks/password-generator.js';
import { AppException } from '#src/errors/app-exception.js';
import { checkAdministratorAccount, checkAdministratorPassword, createAdministrator } from '#src/administration/administrator-creation.js';
import { AuditLog, type RequestOrigin } from '#src/audit/audit-log.js';
import { systemClock, type Clock } from '#src/clock/clock.js';
import type { AppConfig } from '#src/config/app-config.js';
import { ConfigError, loadConfig } from '#src/config/load-config.js';
import { migrateForCli, openConfiguredDatabase, type OpenedDatabase } from '#src/cli/cli-database.js';
import { PasswordHasher } from '#src/identity/password-hasher.js';
import { compileProfileDir } from '#src/profiles/profile-files.js';
import { formatIssue } from '#src/profiles/profile-issue.js';

export const ADMIN_USAGE = `用法：npm run province -- admin create --province <省份> --account <账号> [--name <姓名>] [--generate]
  创建省级管理员（医保局工作人员，只能管理本省），登录入口为 /<省份>/admin
  --province   省份标识或行政区划代码，如 jilin、220000
  --account    管理员账号：英文字母开头，3-32 位英文字母、数字、点、下划线或连字符；本省内不区分大小写唯一
  --name       管理员姓名（可选）
  --generate   生成随机密码并只显示一次；标准输入不是终端时也会生成
  在终端运行时须输入两次密码（不回显），密码须符合本省的密码规则。`;

/** What the command talks to: a terminal in real use, fakes in its spec. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Whether a person is at a terminal to type a password. */
  interactive: boolean;
  /** Reads one line without echoing it. */
  askHidden(prompt: string): Promise<string>;
}

export interface AdminCliDeps {
  io: CliIo;
  env: NodeJS.ProcessEnv;
  clock: Clock;
  openDatabase(config: AppConfig, io: CliIo): Promise<OpenedDatabase | undefined>;
}

export class PromptCancelled extends Error {
  constructor() {
    super('已取消');
    this.name = 'PromptCancelled';
  }
}

/** The `admin` subcommand of the province CLI; answers the exit code (2: usage, 1: refused or failed). */
export async function adminCommand(args: readonly string[], deps: AdminCliDeps = defaultDeps()): Promise<number> {
  const { io } = deps;
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\n\n${ADMIN_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [action, ...extra] = positionals;
  if (values.help) {
    io.out(ADMIN_USAGE);
    return 0;
  }
  if (action !== 'create' || extra.length > 0) {
    io.err(action && action !== 'create' ? `未知的 admin 子命令“${action}”\n\n${ADMIN_USAGE}` : ADMIN_USAGE);
    return 2;
  }
  if (!values.province || !values.account) {
    io.err(`admin create 需要 --province <省份> 和 --account <账号>\n\n${ADMIN_USAGE}`);
    return 2;
  }

  let config: AppConfig;
  try {
    config = loadConfig(deps.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.err(error.message);
    return 1;
  }
  const { profiles, issues } = await compileProfileDir(config.profilesDir);
  if (issues.length > 0) {
    for (const issue of issues) io.err(formatIssue(issue));
    io.err(`省份配置有 ${issues.length} 处错误，请先修正（npm run province -- validate）`);
    return 1;
  }
  const wanted = values.province;
  const profile = profiles.find((p) => p.profile.id === wanted || p.profile.code === wanted)?.profile;
  if (!profile) {
    io.err(`未找到省份“${wanted}”。可用的省份：${profiles.map((p) => `${p.profile.id}（${p.profile.name}）`).join('、')}`);
    return 2;
  }

  const input = { accountName: values.account, displayName: values.name, password: '' };
  try {
    // Account and name first: nobody types a password twice for a name that is refused anyway.
    checkAdministratorAccount(input);
  } catch (error) {
    if (!(error instanceof AppException)) throw error;
    io.err(`${error.message}\n\n${ADMIN_USAGE}`);
    return 2;
  }
  const generated = values.generate || !io.interactive;
  try {
    if (generated) {
      input.password = generatePassword(profile.registration.passwordPolicy, input.accountName);
    } else {
      io.out(`密码规则：${profile.registration.passwordPolicy.hint}`);
      input.password = await io.askHidden('请输入密码：');
      if ((await io.askHidden('请再次输入密码：')) !== input.password) {
        io.err('两次输入的密码不一致，未创建管理员');
        return 1;
      }
    }
    checkAdministratorPassword(profile, input.password, input.accountName);
  } catch (error) {
    if (error instanceof PromptCancelled) {
      io.err('已取消，未创建管理员');
      return 1;
    }
    if (!(error instanceof AppException)) throw error;
    io.err(`${error.message}，未创建管理员`);
    return 1;
  }

  // Migration and query logs are the server's business; here the summary lines say it all.
  Logger.overrideLogger(['error', 'warn']);
  const opened = await deps.openDatabase(config, io);
  if (!opened) return 1;
  try {
    await migrateForCli(opened.dataSource, (text) => io.out(text));
    const audit = new AuditLog(opened.dataSource, deps.clock);
    const created = await createAdministrator({ db: opened.dataSource, clock: deps.clock, hasher: new PasswordHasher(), audit }, profile, input, cliOrigin());
    io.out(`已为${profile.name}（${profile.id}）创建省级管理员 ${created.accountName}，登录入口：/${profile.id}/admin`);
    if (generated) io.out(`初始密码（只显示这一次，请立即记下并妥善保管）：${input.password}`);
    return 0;
  } catch (error) {
    if (!(error instanceof AppException)) throw error;
    io.err(`${error.message}，未创建管理员`);
    return 1;
  } finally {
    await opened.close();
  }
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      province: { type: 'string' },
      account: { type: 'string' },
      name: { type: 'string' },
      generate: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

/** The trail says who ran it, from where: the maintainer is the operating-system user. */
function cliOrigin(): RequestOrigin {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // Some containers run under a uid with no passwd entry.
  }
  return { clientIp: `cli:${user}@${hostname()}`, requestId: `cli-${randomUUID()}` };
}

/**
 * One line from a terminal in raw mode, nothing echoed: Enter ends it, Backspace deletes, Ctrl-C
 * or Ctrl-D on an empty line cancels. Escape sequences (arrow keys) are dropped.
 */
export function readHidden(input: Readable & { setRawMode(mode: boolean): unknown }, output: Writable, prompt: string): Promise<string> {
  output.write(prompt);
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  let value = '';
  return new Promise((resolve, reject) => {
    const finish = () => {
      input.removeListener('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          finish();
          resolve(value);
          return;
        }
        if (ch === '\u0003' || (ch === '\u0004' && value === '')) {
          finish();
          reject(new PromptCancelled());
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch === '\u001b') break;
        else if (ch >= ' ') value += ch;
      }
    };
    input.on('data', onData);
  });
}

function defaultDeps(): AdminCliDeps {
  const stdin = process.stdin;
  return {
    io: {
      out: (text) => process.stdout.write(text.endsWith('\n') ? text : text + '\n'),
      err: (text) => process.stderr.write(text.endsWith('\n') ? text : text + '\n'),
      interactive: stdin.isTTY === true,
      askHidden: (prompt) => readHidden(stdin, process.stderr, prompt),
    },
    env: process.env,
    clock: systemClock,
    openDatabase: (config, io) => openConfiguredDatabase(config, (text) => io.err(text), '创建管理员'),
  };
}
