/**
 * Loopback HTTP for the side-by-side benches that drive the app (login, authz): keep-alive requests,
 * timed batches with N in flight, and their statistics.
 */
import { Agent, request as httpRequest } from 'node:http';

export interface Side {
  /** Per-operation latencies, ms. */
  samples: number[];
  /** Wall time of the timed batches, ms (throughput = operations / wall time). */
  wallMs: number;
}

export interface Stats {
  ops: number;
  perSecond: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  minMs: number;
}

export interface Target {
  agent: Agent;
  port: number;
}

export function target(address: unknown): Target {
  const port = (address as { port?: unknown } | null)?.port;
  if (typeof port !== 'number') throw new Error('server is not listening on a TCP port');
  return { agent: new Agent({ keepAlive: true, maxSockets: 8 }), port };
}

/**
 * Within a batch, `concurrency` workers each take the next operation as soon as their previous one
 * finished; each operation is timed on its own and the batch's wall time gives the throughput.
 */
export async function timedBatch(side: Side, concurrency: number, count: number, op: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const start = process.hrtime.bigint();
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const t0 = process.hrtime.bigint();
      await op(index);
      side.samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  side.wallMs += Number(process.hrtime.bigint() - start) / 1e6;
}

export function stats(side: Side): Stats {
  const sorted = [...side.samples].sort((x, y) => x - y);
  // Nearest rank, as bench-kit: always an observed sample.
  const rank = (p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;
  const total = sorted.reduce((sum, x) => sum + x, 0);
  return { ops: sorted.length, perSecond: sorted.length / (side.wallMs / 1000), meanMs: total / sorted.length, p50Ms: rank(0.5), p99Ms: rank(0.99), minMs: sorted[0] ?? NaN };
}

export function send(to: Target, method: 'GET' | 'POST', path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolvePromise, reject) => {
    const headers: Record<string, string | number> = { accept: 'application/json', ...extraHeaders };
    if (payload !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
    const req = httpRequest({ host: '127.0.0.1', port: to.port, method, path, agent: to.agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}
