/**
 * API benchmark: one province's resolved profile, `GET /api/v1/provinces/hunan`, served by the whole
 * app (A: Nest on Fastify, security headers, the request logger at silent level) against bare
 * Fastify sending the very same bytes with the very same headers (B), over loopback HTTP with
 * keep-alive, alternating in one process. Also a revalidation (If-None-Match → 304) on A against B.
 */
import { Agent } from 'node:http';
import { createApp } from '#src/app-factory.js';
import { loadConfig } from '#src/config/load-config.js';
import { fmt, formatTable, type BenchReport, type Summary } from './bench-kit.js';
import { bareTwin, get, latencySideBySide, portOf, THROUGHPUT, throughputSideBySide, type Target } from './loopback-side-by-side.js';

const PATH = '/api/v1/provinces/hunan';
const JSON_ACCEPT = { accept: 'application/json' };

export async function run(): Promise<BenchReport> {
  const app = await createApp(loadConfig({ PGLITE_DIR: 'memory://', LOG_LEVEL: 'silent', PROFILES_WATCH: 'false', DEV_TOOLS: 'false', PORT: '0', HOST: '127.0.0.1' }), { logger: { pretty: false } });
  let bare: Awaited<ReturnType<typeof bareTwin>> | undefined;
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const a: Target = { name: 'app', port: portOf(app.getHttpServer().address()) };
    const agent = new Agent({ keepAlive: true, maxSockets: THROUGHPUT.concurrency });
    const model = await get(agent, a, PATH, JSON_ACCEPT);
    if (model.status !== 200 || (JSON.parse(model.body.toString('utf8')) as { id?: string }).id !== 'hunan') throw new Error(`${PATH} answered ${model.status}`);
    bare = await bareTwin(PATH, model);
    const b = bare.target;
    const full = (target: Target) => async () => {
      const response = await get(agent, target, PATH, JSON_ACCEPT);
      if (response.status !== 200 || response.body.length !== model.body.length) throw new Error(`${target.name} answered ${response.status} with ${response.body.length} bytes`);
    };
    const latency = await latencySideBySide(full(a), full(b));
    const throughput = await throughputSideBySide(full(a), full(b));

    const etag = typeof model.headers.etag === 'string' ? model.headers.etag : undefined;
    let revalidation: { latency: Summary; rps: number } | undefined;
    if (etag) {
      const notModified = async () => {
        const response = await get(agent, a, PATH, { ...JSON_ACCEPT, 'if-none-match': etag });
        if (response.status !== 304) throw new Error(`If-None-Match answered ${response.status}`);
      };
      const side = await latencySideBySide(notModified, full(b));
      const rps = await throughputSideBySide(notModified, full(b));
      revalidation = { latency: side.a, rps: rps.a };
    }
    agent.destroy();
    const data = {
      node: process.version,
      date: new Date().toISOString(),
      path: PATH,
      bodyBytes: model.body.length,
      headers: model.headers,
      latency: { app: latency.a, bare: latency.b, ratio: latency.b.medianMs / latency.a.medianMs },
      throughput: { ...THROUGHPUT, appRps: throughput.a, bareRps: throughput.b, ratio: throughput.a / throughput.b },
      revalidation,
    };
    return { name: 'api', table: table(data), data };
  } finally {
    await bare?.server.close();
    await app.close();
  }
}

function table(data: { bodyBytes: number; latency: { app: Summary; bare: Summary; ratio: number }; throughput: { appRps: number; bareRps: number; ratio: number; concurrency: number }; revalidation: { latency: Summary; rps: number } | undefined }): string {
  const { latency, throughput, revalidation } = data;
  const rows = [
    ['A app', String(latency.app.iterations), fmt(latency.app.medianMs, 3), fmt(latency.app.p90Ms, 3), fmt(throughput.appRps, 0)],
    ['B bare Fastify, same bytes + headers', String(latency.bare.iterations), fmt(latency.bare.medianMs, 3), fmt(latency.bare.p90Ms, 3), fmt(throughput.bareRps, 0)],
  ];
  if (revalidation) rows.push(['A with If-None-Match (304)', String(revalidation.latency.iterations), fmt(revalidation.latency.medianMs, 3), fmt(revalidation.latency.p90Ms, 3), fmt(revalidation.rps, 0)]);
  return [
    `GET ${PATH} (${data.bodyBytes} bytes of JSON), loopback HTTP, keep-alive; A and B alternate in one process`,
    '',
    formatTable(['side', 'iter', 'med ms', 'p90 ms', `req/s @${throughput.concurrency}`], rows),
    '',
    `throughput A/B (req/s):  ${fmt(throughput.ratio, 2)}x   (goal ≥ 0.85x)`,
    `latency B/A (median):    ${fmt(latency.ratio, 2)}x`,
  ].join('\n');
}
