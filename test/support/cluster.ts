/**
 * A whole deployment on this machine (DESIGN.md, running on several machines): app nodes as
 * `node dist/src/main.js` (SMS_WORKER=false), one standalone SMS worker
 * (`node dist/src/sms/sms-worker-main.js`), a fresh database on the DATABASE_URL server, one Redis key
 * prefix, a copy of provinces/ (for reloads), HAProxy round-robin in front. Needs `nest build` first.
 * stop() leaves nothing behind: processes, database, Redis keys, temporary files.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { request as httpRequest } from 'node:http';
import pg from 'pg';
import { answers200, freePort, spawnLogged, stopProcess, waitUntilReady, type ClusterProcess } from '#test/support/cluster-processes.js';
import { startHaproxy, type Balancer } from '#test/support/haproxy.js';
import { createScratchDatabase } from '#test/services/scratch-database.js';
import { dropRedisKeys, TEST_ADMIN_TOKEN } from '#test/support/test-app.js';

export interface AppNode {
  /** HAProxy's server name, the X-Served-By of its answers. */
  readonly name: string;
  readonly port: number;
  process: ClusterProcess;
}

export interface Cluster {
  readonly balancer: Balancer;
  readonly nodes: Record<string, AppNode>;
  readonly worker: ClusterProcess;
  /** Where the nodes read their profiles (a copy: tests edit it). */
  readonly profilesDir: string;
  /** The deployment's database, for checks the API does not answer (the outbox per message). */
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Starts the node again on its port (after a kill), and waits for its /health. */
  restart(name: string): Promise<void>;
  stop(): Promise<void>;
}

const DIST_MAIN = 'dist/src/main.js';
const DIST_WORKER = 'dist/src/sms/sms-worker-main.js';
const BOOT_DEADLINE_MS = 60_000;

export async function startCluster(nodeNames: string[]): Promise<Cluster> {
  for (const file of [DIST_MAIN, DIST_WORKER]) {
    if (!existsSync(file)) throw new Error(`缺少 ${file}：先运行 nest build（npm run test:cluster 会先构建）`);
  }
  const { DATABASE_URL: serverUrl, REDIS_URL: redisUrl } = process.env;
  if (!serverUrl || !redisUrl) throw new Error('test:cluster 需要 DATABASE_URL 与 REDIS_URL（TEST_SERVICES=true）');

  const dir = await mkdtemp(join(tmpdir(), 'pe-cluster-'));
  const profilesDir = join(dir, 'provinces');
  await cp('provinces', profilesDir, { recursive: true });
  const scratch = await createScratchDatabase('pe_cluster');
  const pool = new pg.Pool({ connectionString: scratch.url, max: 2 });
  const queuePrefix = `pe-cluster-${randomBytes(4).toString('hex')}`;
  // What every process of the deployment shares: one database, one Redis prefix, one code secret.
  const shared: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: scratch.url,
    REDIS_URL: redisUrl,
    SMS_QUEUE_PREFIX: queuePrefix,
    SMS_CODE_SECRET: randomBytes(32).toString('base64url'),
    SMS_PROVIDER: 'outbox',
    PROFILES_DIR: profilesDir,
    TEMPLATES_DIR: resolve('templates'),
  };
  const nodeEnv = (port: number): Record<string, string> => ({
    ...shared,
    PORT: String(port),
    HOST: '127.0.0.1',
    SMS_WORKER: 'false',
    // Black-box tests read captcha answers and the outbox through /api/v1/dev/*.
    DEV_TOOLS: 'true',
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    // Reloads come through the admin API on one node, so the test sees them reach the others.
    PROFILES_WATCH: 'false',
    // The client address is HAProxy's X-Forwarded-For, believed from the balancer only.
    TRUST_PROXY: '127.0.0.1',
  });

  const nodes: Record<string, AppNode> = {};
  const started: ClusterProcess[] = [];
  let balancer: Balancer | undefined;

  const bootNode = async (node: AppNode): Promise<void> => {
    await waitUntilReady(node.process, '在 /health 回答 200', () => answers200(`http://127.0.0.1:${node.port}/health`), BOOT_DEADLINE_MS);
  };
  const spawnNode = (name: string, port: number): ClusterProcess => {
    const process_ = spawnLogged(`节点 ${name}`, process.execPath, [DIST_MAIN], nodeEnv(port), join(dir, `node-${name}.log`));
    started.push(process_);
    return process_;
  };

  const stop = async (): Promise<void> => {
    // Every process, even when a test failed half-way; the balancer first, so nothing is routed to a stopping node.
    if (balancer) await stopProcess(balancer.process);
    await Promise.all(started.map((process_) => stopProcess(process_)));
    await pool.end().catch(() => undefined);
    await scratch.drop();
    await dropRedisKeys(redisUrl, queuePrefix);
    await rm(dir, { recursive: true, force: true });
  };

  try {
    const ports = await Promise.all(nodeNames.map(() => freePort()));
    for (const [i, name] of nodeNames.entries()) {
      const port = ports[i] ?? 0;
      nodes[name] = { name, port, process: spawnNode(name, port) };
      // The first node migrates the fresh database; the others start on the migrated one.
      if (i === 0) await bootNode(nodes[name]);
    }
    const worker = spawnLogged('短信 worker', process.execPath, [DIST_WORKER], shared, join(dir, 'sms-worker.log'));
    started.push(worker);
    await Promise.all([
      ...Object.values(nodes).slice(1).map(bootNode),
      waitUntilReady(worker, '启动', () => Promise.resolve(worker.logTail(200).includes('短信 worker 已启动')), BOOT_DEADLINE_MS),
    ]);
    const [port, statsPort] = [await freePort(), await freePort()];
    balancer = await startHaproxy(dir, { port, statsPort, servers: Object.values(nodes).map(({ name, port: nodePort }) => ({ name, port: nodePort })) });

    return {
      balancer,
      nodes,
      worker,
      profilesDir,
      async query<T>(sql: string, params: unknown[] = []) {
        return (await pool.query(sql, params)).rows as T[];
      },
      async restart(name) {
        const node = nodes[name];
        if (!node) throw new Error(`没有节点 ${name}`);
        await stopProcess(node.process);
        node.process = spawnNode(name, node.port);
        await bootNode(node);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** HAProxy's X-Served-By: the node that answered (absent on the balancer's own error pages). */
  servedBy: string | undefined;
}

/**
 * One request on a connection of its own (no keep-alive, so each one is balanced and a dead node's
 * socket is never reused), optionally from another loopback source address: 127.0.0.0/8 is all
 * loopback, so `from: '127.0.3.7'` is another client address behind the balancer.
 */
export function send(baseUrl: string, method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; from?: string; timeoutMs?: number } = {}): Promise<Answer> {
  const url = new URL(path, baseUrl);
  const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: `${url.pathname}${url.search}`,
        agent: false,
        localAddress: options.from,
        timeout: options.timeoutMs ?? 20_000,
        headers: { ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}), ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const servedBy = res.headers['x-served-by'];
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), servedBy: typeof servedBy === 'string' ? servedBy : undefined });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} 超时`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** The body of an answer as JSON. */
export function json<T>(answer: Answer): T {
  return JSON.parse(answer.text) as T;
}
