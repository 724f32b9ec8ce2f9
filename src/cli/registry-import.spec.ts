/** `npm run province -- registry import`, run as maintainers run it: a child process on a real PGlite directory. */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireDataDirLock } from '#src/database/data-dir-lock.js';
import { EmbeddedDatabase } from '#src/database/embedded-database.js';
import { demoUscc } from '#src/national-registry/registry-demo-data.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let dir: string;
let dataDir: string;

function province(args: string[]): Promise<Run> {
  // Never the server a services run points at: this test owns its embedded directory.
  const { DATABASE_URL: _ignored, ...env } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', 'src/cli/province.ts', ...args], {
      env: { ...env, NODE_OPTIONS: '', PGLITE_DIR: dataDir, PROFILES_DIR: 'provinces' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function importedNames(): Promise<string[]> {
  const db = await EmbeddedDatabase.open(dataDir);
  try {
    const { rows } = await db.pglite.query<{ name: string }>(`SELECT name FROM registry_entries WHERE source = 'import' ORDER BY name`);
    return rows.map((r) => r.name);
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'registry-cli-'));
  dataDir = join(dir, 'pglite');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run province -- registry import', () => {
  it('migrates a fresh embedded database and imports the example file', async () => {
    const run = await province(['registry', 'import', 'test/fixtures/registry-example.csv']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^已执行 \d+ 个数据库迁移\n已导入 5 条单位、3 家医疗机构\n$/);
    expect(await importedNames()).toHaveLength(5);
  }, 90_000);

  it('reports a bad file by line, exits 1 and writes nothing', async () => {
    const bad = join(dir, 'bad.csv');
    const good = demoUscc('91', '220100', 'DM226001');
    const wrong = good.slice(0, 17) + (good.endsWith('1') ? '2' : '1');
    await writeFile(
      bad,
      'uscc,name,province,roleTypes,institutionCode,institutionName,institutionKind\n' +
        `${good},吉林省示例新公司,jilin,manufacturer,,,\n` +
        `${wrong},吉林省示例错码公司,jilin,manufacturer,,,\n`,
    );
    const run = await province(['registry', 'import', bad]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`第 3 行：统一社会信用代码“${wrong}”校验位错误`);
    expect(run.stderr).toContain('有 1 处错误，未导入任何数据。');
  }, 90_000);

  it('tells the maintainer to stop the server or use DATABASE_URL when the embedded database is in use', async () => {
    const lock = acquireDataDirLock(dataDir);
    try {
      const run = await province(['registry', 'import', 'test/fixtures/registry-example.csv']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`正被进程 ${process.pid} 使用`);
      expect(run.stderr).toMatch(/请先停止服务再导入；或设置 DATABASE_URL/);
    } finally {
      lock.release();
    }
  }, 90_000);

  it('shows its usage for a missing file or an unknown subcommand (exit 2)', async () => {
    const missing = await province(['registry', 'import']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('用法：npm run province -- registry import <文件.csv>');
    const unknown = await province(['registry', 'export', 'x.csv']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('未知的 registry 子命令“export”');
    const absent = await province(['registry', 'import', join(dir, 'nope.csv')]);
    expect(absent.code).toBe(2);
    expect(absent.stderr).toContain('文件不存在');
  }, 90_000);
});
