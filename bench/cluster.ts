/**
 * Throughput of the whole deployment (issue 10, item 5): the same mixed load through HAProxy to one
 * app node, then to two, side by side in one run (rounds alternate), each deployment as
 * `npm run test:cluster` starts it — real `node dist/src/main.js` processes, the standalone SMS
 * worker, one PostgreSQL database and a Redis prefix each (DATABASE_URL, REDIS_URL; defaults: this
 * machine's). The load: profile reads, branded pages, captcha + SMS code requests and password
 * logins (captcha, argon2 verify, lockout bookkeeping), each operation from its own loopback address
 * so the per-address limits never trip. Builds with `nest build` first.
 */
import { execFileSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { startCluster, type Cluster } from '#test/support/cluster.js';
import { fmt, formatTable, type BenchReport } from './bench-kit.js';
import { stats, type Stats } from './http-bench.js';

const CONCURRENCY = 16;
const ROUND_MS = 8_000;
const ROUNDS = 3;
const WARMUP_OPS = 200;
const PROVINCES = ['hunan', 'anhui', 'jilin', 'xizang', 'neimenggu'] as const;

type Kind = 'profile' | 'page' | 'sms' | 'login';
/** Of every ten operations: five profile reads, three pages, one SMS code, one login. */
const MIX: readonly Kind[] = ['profile', 'page', 'profile', 'page', 'profile', 'sms', 'profile', 'page', 'profile', 'login'];
const EXPECTED: Record<Kind, number> = { profile: 200, page: 200, sms: 202, login: 401 };

interface Load {
  requests: number;
  wallMs: number;
  errors: number;
  samples: Record<Kind, number[]>;
}

export async function run(): Promise<BenchReport> {
  process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
  process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';
  execFileSync('npx', ['nest', 'build'], { stdio: 'inherit' });
  const one = await startCluster(['solo']);
  let two: Cluster | undefined;
  try {
    two = await startCluster(['a', 'b']);
    const clients = { one: new Client(one), two: new Client(two) };
    await clients.one.load(WARMUP_OPS);
    await clients.two.load(WARMUP_OPS);
    const totals = { one: emptyLoad(), two: emptyLoad() };
    for (let round = 0; round < ROUNDS; round++) {
      for (const side of ['one', 'two'] as const) merge(totals[side], await clients[side].load(undefined, ROUND_MS));
    }
    const report = (load: Load) => ({
      requestsPerSecond: load.requests / (load.wallMs / 1000),
      errors: load.errors,
      operations: Object.fromEntries((Object.keys(load.samples) as Kind[]).map((kind) => [kind, stats({ samples: load.samples[kind], wallMs: load.wallMs })])) as Record<Kind, Stats>,
      all: stats({ samples: Object.values(load.samples).flat(), wallMs: load.wallMs }),
    });
    const data = { node: process.version, date: new Date().toISOString(), concurrency: CONCURRENCY, roundMs: ROUND_MS, rounds: ROUNDS, mix: MIX, one: report(totals.one), two: report(totals.two) };
    return { name: 'cluster', table: table(data), data };
  } finally {
    await two?.stop();
    await one.stop();
  }
}

/**
 * The load generator for one deployment. Each operation comes from a source address of its own (as
 * many clients do, and so the per-address limits never trip), on connections of its own: a
 * keep-alive pool keyed by address would pile up idle connections at the balancer.
 */
class Client {
  private readonly url: URL;
  private next = 0;

  constructor(cluster: Cluster) {
    this.url = new URL(cluster.balancer.url);
  }

  /** `count` operations, or as many as fit in `durationMs`, CONCURRENCY at a time. */
  async load(count: number | undefined, durationMs = Infinity): Promise<Load> {
    const result = emptyLoad();
    const deadline = performance.now() + durationMs;
    let started = 0;
    const t0 = performance.now();
    const worker = async () => {
      while ((count === undefined || started < count) && performance.now() < deadline) {
        started += 1;
        const index = this.next++;
        const kind = MIX[index % MIX.length] ?? 'profile';
        const from = `127.1.${String(Math.floor(index / 250) % 250)}.${String((index % 250) + 1)}`;
        const opStart = performance.now();
        try {
          const { requests, status } = await this.operation(kind, index, from);
          result.requests += requests;
          if (status !== EXPECTED[kind]) result.errors += 1;
        } catch {
          result.errors += 1;
        }
        result.samples[kind].push(performance.now() - opStart);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    result.wallMs = performance.now() - t0;
    return result;
  }

  private async operation(kind: Kind, index: number, from: string): Promise<{ requests: number; status: number }> {
    const province = PROVINCES[index % PROVINCES.length] ?? 'hunan';
    if (kind === 'profile') return { requests: 1, status: (await this.call('GET', `/api/v1/provinces/${province}`, from)).status };
    if (kind === 'page') return { requests: 1, status: (await this.call('GET', `/${province}/`, from, undefined, 'text/html')).status };
    const captcha = JSON.parse((await this.call('GET', `/api/v1/provinces/${province}/captcha`, from)).text) as { captchaId: string };
    const { answer } = JSON.parse((await this.call('GET', `/api/v1/dev/captchas/${captcha.captchaId}`, from)).text) as { answer: string };
    const proof = { captchaId: captcha.captchaId, captcha: answer };
    const last =
      kind === 'sms'
        ? await this.call('POST', `/api/v1/provinces/${province}/sms-codes`, from, { phone: `139${String(index).padStart(8, '0').slice(-8)}`, purpose: 'registration', ...proof })
        : await this.call('POST', `/api/v1/provinces/${province}/sessions`, from, { method: 'password', account: `bench${String(index)}`, password: 'Wrong#Pass123', ...proof });
    return { requests: 3, status: last.status };
  }

  private call(method: string, path: string, from: string, body?: unknown, accept = 'application/json'): Promise<{ status: number; text: string }> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: this.url.hostname,
          port: this.url.port,
          method,
          path,
          agent: false,
          localAddress: from,
          timeout: 20_000,
          headers: { accept, ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', reject);
      req.end(payload);
    });
  }
}

function emptyLoad(): Load {
  return { requests: 0, wallMs: 0, errors: 0, samples: { profile: [], page: [], sms: [], login: [] } };
}

function merge(into: Load, from: Load): void {
  into.requests += from.requests;
  into.wallMs += from.wallMs;
  into.errors += from.errors;
  for (const kind of Object.keys(from.samples) as Kind[]) into.samples[kind].push(...from.samples[kind]);
}

type Side = { requestsPerSecond: number; errors: number; all: Stats; operations: Record<Kind, Stats> };

function table(data: { concurrency: number; roundMs: number; rounds: number; one: Side; two: Side }): string {
  const row = (label: string, side: Side) => [
    label,
    fmt(side.requestsPerSecond, 0),
    String(side.errors),
    fmt(side.all.p50Ms, 1),
    fmt(side.all.p99Ms, 1),
    ...(['profile', 'page', 'sms', 'login'] as const).map((kind) => `${fmt(side.operations[kind].p50Ms, 1)} / ${fmt(side.operations[kind].p99Ms, 1)}`),
  ];
  return [
    `mixed load through HAProxy, ${String(data.concurrency)} operations in flight, ${String(data.rounds)} rounds of ${String(data.roundMs / 1000)} s per side, alternating`,
    '(of ten operations: 5 profile reads, 3 branded pages, 1 captcha + SMS code, 1 captcha + login; an SMS or login operation is 3 requests)',
    '',
    formatTable(['deployment', 'req/s', 'errors', 'p50 ms', 'p99 ms', 'profile p50/p99', 'page p50/p99', 'sms p50/p99', 'login p50/p99'], [row('one node', data.one), row('two nodes', data.two)]),
    '',
    `scaling, two nodes ÷ one (req/s): ${fmt(data.two.requestsPerSecond / data.one.requestsPerSecond, 2)}x — every process (nodes, worker, PostgreSQL, Redis, HAProxy, this load) shares this machine's cores`,
  ].join('\n');
}
