/** The maintainers' CLI, run as they run it: a real child process on real files. */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function province(args: string[], profilesDir = 'provinces'): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', 'src/cli/province.ts', ...args], {
      env: { ...process.env, NODE_OPTIONS: '', PROFILES_DIR: profilesDir },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'province-cli-'));
  await cp('provinces', dir, { recursive: true });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run province', () => {
  it('validate exits 0 on the shipped profiles', async () => {
    const run = await province(['validate']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('5 个省份配置有效');
  });

  it('validate gives one located line per problem and exits 1: unknown key, syntax error, wrong type, broken reference', async () => {
    const hunan = await readFile('provinces/hunan.yaml', 'utf8');
    const broken = join(dir, 'broken');
    await cp('provinces', broken, { recursive: true });
    await writeFile(join(broken, 'hunan.yaml'), hunan.replace('shortName: 湖南\n', 'shortName: 湖南\nfavouriteColour: red\n').replace('      caVendor: hunan-ca', '      caVendor: hunan-cx').replace('\nprocurement:\n', '\nprocurement:\n  handoffTicketSeconds: sixty\n'));
    await writeFile(join(broken, 'anhui.yaml'), (await readFile('provinces/anhui.yaml', 'utf8')).replace('name: 安徽省', 'name: 安徽: 省'));
    const run = await province(['validate', join(broken, 'hunan.yaml'), join(broken, 'anhui.yaml')]);
    expect(run.code).toBe(1);
    const lines = run.stderr.split('\n').filter((l) => /:\d+:\d+ {2}/.test(l));
    const hunanLines = hunan.split('\n');
    const lineOf = (exact: string) => hunanLines.indexOf(exact) + 1;
    expect(lines).toEqual([
      expect.stringMatching(/anhui\.yaml:4:7 {2}\/ {2}块结构不能作为隐式键/),
      expect.stringMatching(/hunan\.yaml:6:1 {2}\/favouriteColour {2}未知的键 "favouriteColour"$/),
      expect.stringMatching(new RegExp(`hunan\\.yaml:${lineOf('      caVendor: hunan-ca') + 1}:17 {2}/login/methods/\\d/caVendor {2}未定义的 CA 厂商 "hunan-cx"`)),
      expect.stringMatching(new RegExp(`hunan\\.yaml:${lineOf('procurement:') + 2}:25 {2}/procurement/handoffTicketSeconds {2}「跳转票据有效期（秒）」类型错误`)),
    ]);
  });

  it('compare --only-diff shows only differing rows, labelled in Chinese, with their sources', async () => {
    const run = await province(['compare', 'hunan', 'anhui', '--only-diff', '--format', 'markdown']);
    expect(run.code).toBe(0);
    const rows = run.stdout.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| 规则') && !l.startsWith('| ---'));
    expect(rows.length).toBeGreaterThan(20);
    expect(rows.find((r) => r.startsWith('| 短信 › 短信签名 |'))).toBe('| 短信 › 短信签名 | 湖南医保 * | 安徽医保 * |  |');
    expect(rows.find((r) => r.includes('检验试剂医疗机构群 › 群号'))).toContain('AH-9');
    expect(rows.some((r) => r.startsWith('| 会话 ›'))).toBe(false);
  });

  it('compare --format json is the same comparison the API serves', async () => {
    const run = await province(['compare', 'xizang', 'jilin', '--format', 'json']);
    const parsed = JSON.parse(run.stdout) as { provinces: string[]; rows: Array<{ path: string; same: boolean }> };
    expect(parsed.provinces).toEqual(['xizang', 'jilin']);
    expect(parsed.rows.some((r) => r.same)).toBe(true);
  });

  it('show prints the resolved profile as YAML, national values included', async () => {
    const run = await province(['show', '430000']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^id: hunan$/m);
    expect(run.stdout).toContain('nationalService:');
  });

  it('new scaffolds a province that validates at once, and refuses to overwrite it', async () => {
    const created = await province(['new', 'guangdong', '--code', '440000', '--name', '广东省', '--from', 'anhui'], dir);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('请补充');
    const validated = await province(['validate'], dir);
    expect(validated.code).toBe(0);
    expect(validated.stdout).toContain('guangdong（广东省）');
    const again = await province(['new', 'guangdong', '--code', '440000', '--name', '广东省'], dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('已存在');
  });

  it('explains an unknown province or command in Chinese with exit 2', async () => {
    const run = await province(['show', 'atlantis']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('未找到省份“atlantis”');
  });
});
