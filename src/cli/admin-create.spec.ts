/**
 * `npm run province -- admin create`: the command against a migrated in-memory PGlite (a fake
 * terminal answers the prompts), and once as maintainers run it, a child process on a real PGlite
 * directory.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { verify } from '@node-rs/argon2';
import { adminCommand, readHidden, type CliIo } from '#src/cli/admin-create.js';
import { ManualClock } from '#src/clock/clock.js';
import { EmbeddedDatabase } from '#src/database/embedded-database.js';
import { checkPassword } from '#src/identity/checks/password-policy.js';
import { openMigratedDatabase, type MigratedDatabase } from '#test/support/migrated-database.js';

const clock = new ManualClock(Date.parse('2025-11-30T02:00:00Z'));
let db: MigratedDatabase;

beforeAll(async () => {
  db = await openMigratedDatabase();
});

afterAll(async () => {
  await db.close();
});

function terminal(options: { interactive?: boolean; answers?: string[] } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const prompts: string[] = [];
  const answers = [...(options.answers ?? [])];
  const io: CliIo = {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    interactive: options.interactive ?? false,
    askHidden: (prompt) => {
      prompts.push(prompt);
      return Promise.resolve(answers.shift() ?? '');
    },
  };
  return { io, out, err, prompts, stdout: () => out.join('\n'), stderr: () => err.join('\n') };
}

function run(args: string[], io: CliIo): Promise<number> {
  return adminCommand(args, {
    io,
    env: { PROFILES_DIR: 'provinces' },
    clock,
    // The spec's database stays open across runs: the command's close is the caller's here.
    openDatabase: () => Promise.resolve({ dataSource: db.dataSource, close: () => Promise.resolve() }),
  });
}

interface StoredAdministrator {
  id: string;
  account_name: string;
  display_name: string | null;
  password_hash: string;
  status: string;
}

async function stored(province: string, account: string): Promise<StoredAdministrator[]> {
  return db.dataSource.query<StoredAdministrator[]>(`SELECT id, account_name, display_name, password_hash, status FROM province_administrators WHERE province_id = $1 AND lower(account_name) = lower($2)`, [province, account]);
}

const printedPassword = (text: string): string => /只显示这一次[^：]*：(\S+)/.exec(text)?.[1] ?? '';

describe('province admin create', () => {
  it('generates a password satisfying the policy when no one is at a terminal, prints it once, stores only its argon2id hash, and audits', async () => {
    const t = terminal({ interactive: false });
    expect(await run(['create', '--province', 'xizang', '--account', 'zhang.san', '--name', '张三'], t.io)).toBe(0);
    expect(t.prompts).toEqual([]);
    expect(t.stdout()).toContain('已为西藏自治区（xizang）创建省级管理员 zhang.san，登录入口：/xizang/admin');
    const password = printedPassword(t.stdout());
    expect(t.stdout().split(password)).toHaveLength(2);
    const xizang = { minLength: 8, maxLength: 16, requireDigit: true, requireLetter: true, requireSpecial: true };
    expect(checkPassword(xizang, password)).toBeUndefined();
    const [row] = await stored('xizang', 'zhang.san');
    expect(row).toMatchObject({ account_name: 'zhang.san', display_name: '张三', status: 'active' });
    expect(row?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row?.password_hash).not.toContain(password);
    expect(await verify(row?.password_hash ?? '', password)).toBe(true);
    const events = await db.dataSource.query<Array<{ kind: string; actor_kind: string; detail: { administratorId: string }; at: Date }>>(
      `SELECT kind, actor_kind, detail, at FROM audit_events WHERE province_id = 'xizang' AND kind = 'administrator.created'`,
    );
    expect(events).toEqual([expect.objectContaining({ kind: 'administrator.created', actor_kind: 'maintainer', detail: expect.objectContaining({ administratorId: row?.id }) as unknown })]);
    expect(new Date(events[0]?.at ?? 0).toISOString()).toBe('2025-11-30T02:00:00.000Z');
  });

  it('asks twice at a terminal, prints no password, and stores the typed one', async () => {
    const t = terminal({ interactive: true, answers: ['Guanli#2025', 'Guanli#2025'] });
    expect(await run(['create', '--province', 'jilin', '--account', 'JLadmin'], t.io)).toBe(0);
    expect(t.prompts).toEqual(['请输入密码：', '请再次输入密码：']);
    expect(t.stdout()).toContain('密码规则：');
    expect(t.stdout()).not.toContain('Guanli#2025');
    expect(t.stdout()).not.toContain('只显示这一次');
    const [row] = await stored('jilin', 'jladmin');
    expect(await verify(row?.password_hash ?? '', 'Guanli#2025')).toBe(true);
  });

  it('--generate at a terminal generates instead of asking', async () => {
    const t = terminal({ interactive: true });
    expect(await run(['create', '--province', '220000', '--account', 'jl-generated', '--generate'], t.io)).toBe(0);
    expect(t.prompts).toEqual([]);
    expect(printedPassword(t.stdout())).not.toBe('');
  });

  it('refuses two different answers, and a password the province’s policy refuses (exit 1, nothing written)', async () => {
    const mismatch = terminal({ interactive: true, answers: ['Guanli#2025', 'Guanli#2026'] });
    expect(await run(['create', '--province', 'hunan', '--account', 'hn-mismatch'], mismatch.io)).toBe(1);
    expect(mismatch.stderr()).toContain('两次输入的密码不一致，未创建管理员');
    // Tibet's policy wants a special character (XZ-4).
    const weak = terminal({ interactive: true, answers: ['guanli2025', 'guanli2025'] });
    expect(await run(['create', '--province', 'xizang', '--account', 'xz-weak'], weak.io)).toBe(1);
    expect(weak.stderr()).toMatch(/密码须包含数字、字母和特殊字符，当前缺少特殊字符（.+）.*未创建管理员/);
    const same = terminal({ interactive: true, answers: ['Hn-Same1', 'Hn-Same1'] });
    expect(await run(['create', '--province', 'hunan', '--account', 'hn-same1'], same.io)).toBe(1);
    expect(same.stderr()).toContain('密码不能与账号相同');
    expect(await stored('hunan', 'hn-mismatch')).toEqual([]);
    expect(await stored('xizang', 'xz-weak')).toEqual([]);
    expect(await stored('hunan', 'hn-same1')).toEqual([]);
  });

  it('refuses an account name the province already has, in any case (exit 1); another province may use it', async () => {
    expect(await run(['create', '--province', 'anhui', '--account', 'ahadmin'], terminal().io)).toBe(0);
    const again = terminal();
    expect(await run(['create', '--province', 'anhui', '--account', 'AHADMIN'], again.io)).toBe(1);
    expect(again.stderr()).toContain('本省已有同名的管理员账号（不区分大小写），未创建管理员');
    expect(await stored('anhui', 'ahadmin')).toHaveLength(1);
    expect(await run(['create', '--province', 'neimenggu', '--account', 'ahadmin'], terminal().io)).toBe(0);
  });

  it('refuses an unknown province listing the known ones, a bad account name, a missing option, an unknown subcommand (exit 2)', async () => {
    const unknown = terminal();
    expect(await run(['create', '--province', 'atlantis', '--account', 'someone'], unknown.io)).toBe(2);
    expect(unknown.stderr()).toBe('未找到省份“atlantis”。可用的省份：anhui（安徽省）、hunan（湖南省）、jilin（吉林省）、neimenggu（内蒙古自治区）、xizang（西藏自治区）');
    const badName = terminal();
    expect(await run(['create', '--province', 'jilin', '--account', '13800138000'], badName.io)).toBe(2);
    expect(badName.stderr()).toContain('管理员账号须以英文字母开头');
    const missing = terminal();
    expect(await run(['create', '--province', 'jilin'], missing.io)).toBe(2);
    expect(missing.stderr()).toContain('需要 --province <省份> 和 --account <账号>');
    const other = terminal();
    expect(await run(['delete', '--province', 'jilin', '--account', 'x'], other.io)).toBe(2);
    expect(other.stderr()).toContain('未知的 admin 子命令“delete”');
    const option = terminal();
    expect(await run(['create', '--province', 'jilin', '--account', 'someone', '--password', 'x'], option.io)).toBe(2);
    expect(option.stderr()).toContain('用法：npm run province -- admin create');
  });
});

describe('readHidden', () => {
  function fakeTty() {
    const input = Object.assign(new PassThrough(), { modes: [] as boolean[], setRawMode(mode: boolean) {
      this.modes.push(mode);
      return this;
    } });
    const output = new PassThrough();
    let written = '';
    output.on('data', (d: Buffer) => (written += d.toString()));
    return { input, output, written: () => written };
  }

  it('reads a line in raw mode without echoing it; Backspace deletes, arrow keys are dropped', async () => {
    const tty = fakeTty();
    const line = readHidden(tty.input, tty.output, '密码：');
    tty.input.write('Ab#1\u007f2');
    tty.input.write('\u001b[D');
    tty.input.write('x\r');
    expect(await line).toBe('Ab#2x');
    expect(tty.written()).toBe('密码：\n');
    expect(tty.input.modes).toEqual([true, false]);
  });

  it('Ctrl-C cancels', async () => {
    const tty = fakeTty();
    const line = readHidden(tty.input, tty.output, '密码：');
    tty.input.write('abc\u0003');
    await expect(line).rejects.toThrow('已取消');
    expect(tty.input.modes).toEqual([true, false]);
  });
});

describe('npm run province -- admin create (child process)', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'admin-cli-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('migrates the embedded database and prints the generated password when stdin is not a terminal', async () => {
    const dataDir = join(dir, 'pglite');
    // Never the server a services run points at: this test owns its embedded directory.
    const { DATABASE_URL: _ignored, ...env } = process.env;
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', 'src/cli/province.ts', 'admin', 'create', '--province', 'hunan', '--account', 'hnadmin'], {
        env: { ...env, NODE_OPTIONS: '', PGLITE_DIR: dataDir, PROFILES_DIR: 'provinces' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      child.stdin.end();
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^已执行 \d+ 个数据库迁移\n已为湖南省（hunan）创建省级管理员 hnadmin，登录入口：\/hunan\/admin\n初始密码（只显示这一次，请立即记下并妥善保管）：\S+\n$/);
    const embedded = await EmbeddedDatabase.open(dataDir);
    try {
      const { rows } = await embedded.pglite.query<{ password_hash: string }>(`SELECT password_hash FROM province_administrators WHERE province_id = 'hunan' AND account_name = 'hnadmin'`);
      expect(await verify(rows[0]?.password_hash ?? '', printedPassword(run.stdout))).toBe(true);
    } finally {
      await embedded.close();
    }
  }, 90_000);
});
