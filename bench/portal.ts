/**
 * Portal benchmark: the branded hall home page served by the whole app (A: Nest on Fastify,
 * security headers, tenancy, Handlebars layout and partials, the request logger at silent level)
 * against bare Fastify sending the very same HTML bytes (B), both over loopback HTTP with
 * keep-alive, in the same process and the same run. See bench/README.md.
 */
import { Agent } from 'node:http';
import { createApp } from '#src/app-factory.js';
import type { AppConfig } from '#src/config/app-config.js';
import { loadConfig } from '#src/config/load-config.js';
import { PageRenderer } from '#src/portal/page-renderer.js';
import { homeView } from '#src/portal/views/home.view.js';
import { ProfileRegistry } from '#src/profiles/profile-registry.service.js';
import { tenantOf } from '#src/tenancy/tenant.js';
import { fmt, formatTable, summarize, type BenchReport, type Summary } from './bench-kit.js';
import { bareTwin, get, LATENCY, latencySideBySide, portOf, THROUGHPUT, throughputSideBySide, type Target } from './loopback-side-by-side.js';

const PAGE = '/hunan/';
const HTML = { accept: 'text/html' };

export async function run(): Promise<BenchReport> {
  const app = await createApp(benchConfig(), { logger: { pretty: false } });
  let bare: Awaited<ReturnType<typeof bareTwin>> | undefined;
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const a: Target = { name: 'app', port: portOf(app.getHttpServer().address()) };
    const agent = new Agent({ keepAlive: true, maxSockets: THROUGHPUT.concurrency });
    const model = await get(agent, a, PAGE, HTML);
    const html = model.body.toString('utf8');
    if (!html.includes('湖南省医疗保障局网上服务大厅')) throw new Error(`${PAGE} did not render Hunan's hall`);

    bare = await bareTwin(PAGE, model);
    const b = bare.target;
    const check = async (target: Target) => {
      const response = await get(agent, target, PAGE, HTML);
      if (response.status !== 200 || response.body.length !== model.body.length) throw new Error(`${target.name} answered ${response.status} with ${response.body.length} bytes`);
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
      throughput: { ...THROUGHPUT, appRps: throughput.a, bareRps: throughput.b, ratio: throughput.a / throughput.b },
      renderOnly: render,
    };
    return { name: 'portal', table: renderTable(data), data };
  } finally {
    await bare?.server.close();
    await app.close();
  }
}

/** The demo setting (embedded database, in memory) with logs off, through the app's own config loader. */
function benchConfig(): AppConfig {
  return loadConfig({ PGLITE_DIR: 'memory://', LOG_LEVEL: 'silent', PROFILES_WATCH: 'false', DEV_TOOLS: 'false', PORT: '0', HOST: '127.0.0.1' });
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
    `throughput A/B (req/s):      ${fmt(throughput.ratio, 2)}x   (goal ≥ 0.60x)`,
    `rendering the page in process (view model + Handlebars) takes ${fmt(data.renderOnly.medianMs, 3)} ms; A serves it rendered once per profile set,`,
    'so the rest of A is the framework (Nest routing, the tenancy interceptor, the request logger) and the same socket work as B.',
  ].join('\n');
}
