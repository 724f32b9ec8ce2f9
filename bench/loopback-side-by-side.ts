/**
 * One page or document served two ways over loopback HTTP with keep-alive — A the app, B bare Fastify
 * sending the same bytes with the same headers — timed alternately in one process: latency one
 * request at a time, then throughput with N in flight. Used by the portal and api benches.
 */
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import { summarize, type Summary } from './bench-kit.js';

export const LATENCY = { warmup: 300, targetMs: 2000, minIterations: 1000, maxIterations: 50_000 };
export const THROUGHPUT = { concurrency: 32, roundMs: 1500, rounds: 3 };

export interface Target {
  name: string;
  port: number;
}

export interface Answer {
  status: number;
  body: Buffer;
  headers: IncomingHttpHeaders;
}

export function portOf(address: unknown): number {
  const port = (address as { port?: unknown } | null)?.port;
  if (typeof port !== 'number') throw new Error('server is not listening on a TCP port');
  return port;
}

export function get(agent: Agent, target: Target, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolvePromise, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: target.port, path, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Headers that belong to one response or one connection, not to the document. */
const PER_RESPONSE = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'x-request-id']);

/**
 * B: bare Fastify answering `path` with A's very bytes and A's headers (security headers, content
 * type, cache headers…) as constants — what the app could at best be.
 */
export async function bareTwin(path: string, model: Answer): Promise<{ server: FastifyInstance; target: Target }> {
  const server = Fastify();
  const headers = Object.fromEntries(Object.entries(model.headers).filter(([name, value]) => !PER_RESPONSE.has(name) && value !== undefined));
  server.get(path, (_request, reply) => reply.headers(headers).send(model.body));
  await server.listen({ port: 0, host: '127.0.0.1' });
  return { server, target: { name: 'bare', port: portOf(server.server.address()) } };
}

/** One request at a time, A and B alternating, until each side has run targetMs and minIterations. */
export async function latencySideBySide(a: () => Promise<void>, b: () => Promise<void>): Promise<{ a: Summary; b: Summary }> {
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
export async function throughputSideBySide(a: () => Promise<void>, b: () => Promise<void>): Promise<{ a: number; b: number }> {
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
