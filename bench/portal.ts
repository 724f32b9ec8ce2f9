/**
 * Portal benchmark: the branded hall home page served by the whole app (A: Nest on Fastify,
 * security headers, tenancy, Handlebars layout and partials, the request logger at silent level)
 * against bare Fastify sending the very same HTML bytes (B), both over loopback HTTP with
 * keep-alive, in the same process and the same run. See bench/README.md.
 */
import { Agent, request as httpRequest } from 'node:http';
import Fastify from 'fastify';
import { createApp } from '#src/app-factory.js';
import type { AppConfig } from '#src/config/app-config.js';
import { loadConfig } from '#src/config/load-config.js';
import { PageRenderer } from '#src/portal/page-renderer.js';
import { homeView } from '#src/portal/views/home.view.js';
import { ProfileRegistry } from '#src/profiles/profile-registry.service.js';
import { tenantOf } from '#src/tenancy/tenant.js';
import { fmt, formatTable, summarize, type BenchReport, type Summary } from './bench-kit.js';

const PAGE = '/hunan/';
const LATENCY = { warmup: 300, targetMs: 2000, minIterations: 1000, maxIterations: 50_000 };
const THROUGHPUT = { concurrency: 32, roundMs: 1500, rounds: 3 };

interface Target {
  name: string;
  port: number;
}

export async function run(): Promise<BenchReport> {
  const app = await createApp(benchConfig(), { logger: { pretty: false } });
  const bare = Fastify();
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const a: Target = { name: 'app', port: portOf(app.getHttpServer().address()) };
    const agent = new Agent({ keepAlive: true, maxSockets: THROUGHPUT.concurrency });
    const html = (await get(agent, a, PAGE)).body;
    if (!html.includes('湖南省医疗保障局网上服务大厅')) throw new Error(`${PAGE} did not render Hunan's hall`);

    bare.get(PAGE, (_request, reply) => reply.type('text/html; charset=utf-8').send(html));
    await bare.listen({ port: 0, host: '127.0.0.1' });
    const b: Target = { name: 'bare', port: portOf(bare.server.address()) };
    const check = async (target: Target) => {
      const response = await get(agent, target, PAGE);
      if (response.status !== 200 || response.body.length !== html.length) throw new Error(`${target.name} answered ${response.status} with ${response.body.length} characters`);
    };

    const latency = await latencySideBySide(() => check(a), () => check(b));
    const throughput = await throughputSideBySide(() => check(a), () => check(b));
    agent.destroy();
    const render = renderOnly(app.get(PageRenderer), app.get(ProfileRegistry));

    const data = {
      node: process.version,
      date: new Date().toISOString(),
      page: PAGE,
      htmlBytes: Buffer.byteLength(html),
      latency: { app: latency.a, bare: latency.b, ratio: latency.a.medianMs / latency.b.medianMs },
      throughput: { ...THROUGHPUT, appRps: throughput.a, bareRps: throughput.b, ratio: throughput.b / throughput.a },
      renderOnly: render,
    };
    return { name: 'portal', table: renderTable(data), data };
  } finally {
    await bare.close();
    await app.close();
  }
}

/** The demo setting (embedded database, in memory) with logs off, through the app's own config loader. */
function benchConfig(): AppConfig {
  return loadConfig({ PGLITE_DIR: 'memory://', LOG_LEVEL: 'silent', PROFILES_WATCH: 'false', DEV_TOOLS: 'false', PORT: '0', HOST: '127.0.0.1' });
}

function portOf(address: unknown): number {
  const port = (address as { port?: unknown } | null)?.port;
  if (typeof port !== 'number') throw new Error('server is not listening on a TCP port');
  return port;
}

function get(agent: Agent, target: Target, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolvePromise, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: target.port, path, agent, headers: { accept: 'text/html' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** One request at a time, A and B alternating, until each side has run targetMs and minIterations. */
async function latencySideBySide(a: () => Promise<void>, b: () => Promise<void>): Promise<{ a: Summary; b: Summary }> {
  for (let i = 0; i < LATENCY.warmup; i++) {
    await a();
    await b();
  }
  const samplesA: number[] = [];
  const samplesB: number[] = [];
  let totalA = 0;
  let totalB = 0;
  while (samplesA.length < LATENCY.maxIterations && (samplesA.length < LATENCY.minIterations || totalA < LATENCY.targetMs || totalB < LATENCY.targetMs)) {
    const timeA = await timeOnce(a);
    const timeB = await timeOnce(b);
    samplesA.push(timeA);
    samplesB.push(timeB);
    totalA += timeA;
    totalB += timeB;
  }
  return { a: summarize(samplesA), b: summarize(samplesB) };
}

async function timeOnce(fn: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** `concurrency` requests in flight for roundMs, rounds alternating A, B, A, B…; requests per second. */
async function throughputSideBySide(a: () => Promise<void>, b: () => Promise<void>): Promise<{ a: number; b: number }> {
  const counts = { a: 0, b: 0 };
  const time = { a: 0, b: 0 };
  for (let round = 0; round < THROUGHPUT.rounds; round++) {
    for (const side of ['a', 'b'] as const) {
      const fn = side === 'a' ? a : b;
      const start = process.hrtime.bigint();
      const deadline = Date.now() + THROUGHPUT.roundMs;
      const worker = async () => {
        while (Date.now() < deadline) {
          await fn();
          counts[side]++;
        }
      };
      await Promise.all(Array.from({ length: THROUGHPUT.concurrency }, worker));
      time[side] += Number(process.hrtime.bigint() - start) / 1e9;
    }
  }
  return { a: counts.a / time.a, b: counts.b / time.b };
}

/** The page alone, in process: view model, Handlebars page, partials and layout — A's share of the work. */
function renderOnly(renderer: PageRenderer, registry: ProfileRegistry): Summary {
  const tenant = tenantOf(registry.require('hunan'));
  const m = renderer.messages(tenant);
  const once = () => renderer.render({ tenant, page: 'home', title: m['home.title'], current: 'home', view: homeView(tenant.profile, m) });
  for (let i = 0; i < LATENCY.warmup; i++) once();
  const samples: number[] = [];
  for (let i = 0; i < LATENCY.minIterations * 5; i++) {
    const start = process.hrtime.bigint();
    once();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return summarize(samples);
}

function renderTable(data: {
  htmlBytes: number;
  latency: { app: Summary; bare: Summary; ratio: number };
  throughput: { appRps: number; bareRps: number; ratio: number; concurrency: number };
  renderOnly: Summary;
}): string {
  const { latency, throughput } = data;
  const table = formatTable(
    ['side', 'iter', 'med ms', 'p90 ms', 'min ms', `req/s @${throughput.concurrency}`],
    [
      ['A app (branded page)', String(latency.app.iterations), fmt(latency.app.medianMs, 3), fmt(latency.app.p90Ms, 3), fmt(latency.app.minMs, 3), fmt(throughput.appRps, 0)],
      ['B bare Fastify', String(latency.bare.iterations), fmt(latency.bare.medianMs, 3), fmt(latency.bare.p90Ms, 3), fmt(latency.bare.minMs, 3), fmt(throughput.bareRps, 0)],
    ],
  );
  return [
    `GET ${PAGE} (${data.htmlBytes} bytes of HTML), loopback HTTP, keep-alive; A and B alternate in one process`,
    '',
    table,
    '',
    `latency A/B (median):        ${fmt(latency.ratio, 2)}x`,
    `throughput B/A (req/s):      ${fmt(throughput.ratio, 2)}x`,
    `of A's median, rendering the page in process (view model + Handlebars) takes ${fmt(data.renderOnly.medianMs, 3)} ms; the rest is the framework`,
    '(Nest routing and interceptors, the request logger, security headers) and the same socket work as B.',
  ].join('\n');
}
