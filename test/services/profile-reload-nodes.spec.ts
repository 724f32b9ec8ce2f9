/**
 * A profile reload on one node reaches every node (issue 10, item 2): two app nodes on one
 * PostgreSQL and one Redis, reading the same copy of provinces/ and templates/ (as production nodes
 * share a volume or an image). Bounded loops, loopback only.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { nodeHttp, startDeployment, type Deployment } from '#test/support/nodes.js';
import { TEST_ADMIN_TOKEN, type TestApp } from '#test/support/test-app.js';

/** The promise of issue 10: every node serves a reload within this long. */
const PROPAGATION_MS = 2_000;

let profilesDir: string;
let templatesDir: string;
let deployment: Deployment;
let nodeA: TestApp;
let nodeB: TestApp;

interface Health {
  status: string;
  profiles: { version: string; errors: string[]; node: { id: string }; sync: { mechanism: string; listening: boolean } };
}

const health = async (node: TestApp): Promise<Health> => (await request(nodeHttp(node)).get('/health').expect(200)).body as Health;
const reloadAt = (node: TestApp) => request(nodeHttp(node)).post('/api/v1/admin/profiles/reload').set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`);
const portalTitle = async (node: TestApp, province: string): Promise<string> =>
  ((await request(nodeHttp(node)).get(`/api/v1/provinces/${province}`).expect(200)).body as { branding: { portalTitle: string } }).branding.portalTitle;

/** Polls `read` until it gives `expected` or `withinMs` passes; returns how long it took, or throws with the last value. */
async function within<T>(withinMs: number, read: () => Promise<T>, expected: T): Promise<number> {
  const started = Date.now();
  let last: T | undefined;
  while (Date.now() - started < withinMs) {
    last = await read();
    if (last === expected) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${withinMs} ms 内未等到 ${String(expected)}，最后为 ${String(last)}`);
}

async function editHunanTitle(title: string): Promise<void> {
  const file = join(profilesDir, 'hunan.yaml');
  await writeFile(file, (await readFile(file, 'utf8')).replace(/^ {2}portalTitle: .*$/m, `  portalTitle: ${title}`));
}

beforeAll(async () => {
  profilesDir = await mkdtemp(join(tmpdir(), 'reload-nodes-provinces-'));
  await cp('provinces', profilesDir, { recursive: true });
  templatesDir = await mkdtemp(join(tmpdir(), 'reload-nodes-templates-'));
  await cp('templates', templatesDir, { recursive: true });
  deployment = await startDeployment('pe_reload_nodes', { profilesDir, templatesDir });
  nodeA = deployment.first;
  nodeB = await deployment.join();
}, 120_000);

afterAll(async () => {
  await deployment.close();
  await rm(profilesDir, { recursive: true, force: true });
  await rm(templatesDir, { recursive: true, force: true });
});

it('both nodes start on the same profile version and say which node they are', async () => {
  const [a, b] = await Promise.all([health(nodeA), health(nodeB)]);
  expect(a.profiles.version).toMatch(/^[0-9a-f]{64}$/);
  expect(b.profiles.version).toBe(a.profiles.version);
  expect(b.profiles.node.id).not.toBe(a.profiles.node.id);
  expect([a.profiles.sync, b.profiles.sync]).toEqual([expect.objectContaining({ mechanism: 'postgres-listen', listening: true }), expect.objectContaining({ mechanism: 'postgres-listen', listening: true })]);
});

it('a portal title edited and reloaded through node A is served by node B within 2 s, both reporting one version', async () => {
  await editHunanTitle('湖南省医疗保障局网上服务大厅（新）');
  const reloaded = await reloadAt(nodeA).expect(200);
  const tookMs = await within(PROPAGATION_MS, () => portalTitle(nodeB, 'hunan'), '湖南省医疗保障局网上服务大厅（新）');
  expect(tookMs).toBeLessThan(PROPAGATION_MS);
  const [a, b] = await Promise.all([health(nodeA), health(nodeB)]);
  expect(a.profiles.version).toBe((reloaded.body as { version: string }).version);
  expect(b.profiles.version).toBe(a.profiles.version);
  expect(b.status).toBe('ok');
});

it('a province page template changed and reloaded through node A is what node B shows within 2 s', async () => {
  const override = join(templatesDir, 'provinces', 'hunan', 'pages', 'home.hbs');
  await mkdir(join(override, '..'), { recursive: true });
  await writeFile(override, '<p>湖南医保节点同步首页</p>');
  await reloadAt(nodeA).expect(200);
  const page = async () => (await request(nodeHttp(nodeB)).get('/hunan/').set('Accept', 'text/html').expect(200)).text.includes('湖南医保节点同步首页');
  await within(PROPAGATION_MS, page, true);
  await rm(override);
  await reloadAt(nodeA).expect(200);
  await within(PROPAGATION_MS, page, false);
});

it('a broken profile reloaded on node A changes nothing on A or B, and only A, which tried, says so', async () => {
  const before = (await health(nodeA)).profiles.version;
  const file = join(profilesDir, 'jilin.yaml');
  const good = await readFile(file, 'utf8');
  await writeFile(file, `${good}bogus: 1\n`);
  try {
    expect((await reloadAt(nodeA).expect(422)).body).toMatchObject({ code: 'PROFILES_INVALID', version: before });
    // Long enough for a wrongly published version to arrive.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const [a, b] = await Promise.all([health(nodeA), health(nodeB)]);
    expect([a.profiles.version, b.profiles.version]).toEqual([before, before]);
    expect(a).toMatchObject({ status: 'degraded', profiles: { errors: [expect.stringContaining('jilin.yaml')] } });
    expect(b).toMatchObject({ status: 'ok', profiles: { errors: [] } });
    expect(await portalTitle(nodeB, 'jilin')).toBe(await portalTitle(nodeA, 'jilin'));
  } finally {
    await writeFile(file, good);
  }
  await reloadAt(nodeA).expect(200);
  expect((await health(nodeA)).status).toBe('ok');
});

it('node B, down while node A reloaded, serves the new version as soon as it is back', async () => {
  await nodeB.close();
  await editHunanTitle('湖南省医疗保障局网上服务大厅（重启后）');
  const reloaded = await reloadAt(nodeA).expect(200);
  nodeB = await deployment.join();
  expect(await portalTitle(nodeB, 'hunan')).toBe('湖南省医疗保障局网上服务大厅（重启后）');
  expect((await health(nodeB)).profiles.version).toBe((reloaded.body as { version: string }).version);
}, 60_000);

it('node B, whose notification connection dropped, catches up once it reconnects', async () => {
  const { id } = (await health(nodeB)).profiles.node;
  const admin = new pg.Client({ connectionString: nodeB.config.database.kind === 'postgres' ? nodeB.config.database.url : '' });
  await admin.connect();
  try {
    const ended = await admin.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = $1`, [`pe-profile-sync ${id}`]);
    expect(ended.rowCount).toBe(1);
    await admin.query(`SELECT pg_terminate_backend($1)`, [ended.rows[0]?.pid]);
  } finally {
    await admin.end();
  }
  await editHunanTitle('湖南省医疗保障局网上服务大厅（断线后）');
  await reloadAt(nodeA).expect(200);
  // Reconnection waits half a second at first, then compares with the latest published version.
  await within(4_000, () => portalTitle(nodeB, 'hunan'), '湖南省医疗保障局网上服务大厅（断线后）');
  await within(4_000, async () => (await health(nodeB)).profiles.sync.listening, true);
  expect((await health(nodeB)).profiles.version).toBe((await health(nodeA)).profiles.version);
});
