/**
 * SMS delivery benchmark, on the real services (REDIS_URL, DATABASE_URL; defaults: this machine's).
 *   A — our pipeline: record the message (sealed text, PostgreSQL) + enqueue on BullMQ → worker
 *       claims it (sent flag), unseals, stores it in the outbox provider, marks it sent.
 *   B — a raw BullMQ queue and a no-op worker on the same Redis, same concurrency.
 *   C — the fair baseline: raw BullMQ whose worker writes one row to PostgreSQL per job (what any
 *       durable delivery must do at least), same Redis, same database, same concurrency.
 * Throughput (messages/s, enqueue → delivered) in alternating rounds, then latency at a fixed rate.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import pg from 'pg';
import { systemClock } from '#src/clock/clock.js';
import { BullMqSmsQueue, BullMqSmsWorker } from '#src/sms/bullmq-sms-queue.js';
import { PayloadSealer } from '#src/sms/payload-sealer.js';
import { OutboxSmsProvider } from '#src/sms/providers/outbox-sms.provider.js';
import { redisOptionsFromUrl } from '#src/sms/redis-connection.js';
import { SmsDelivery } from '#src/sms/sms-delivery.js';
import { SmsMessageStore } from '#src/sms/sms-message.store.js';
import { openMigratedDatabase } from '#test/support/migrated-database.js';
import { fmt, formatTable, type BenchReport } from './bench-kit.js';

const CONCURRENCY = 8;
const THROUGHPUT_MESSAGES = 2000;
const ROUNDS = 3;
const RATE_PER_SECOND = 200;
const RATE_MESSAGES = 1000;
const ENQUEUE_BATCH = 50;

interface Side {
  label: string;
  /** Enqueue one message; resolves when it was handed to the queue. */
  send(): Promise<string>;
  /** Resolves when that message was delivered. */
  delivered(id: string): Promise<void>;
}

/** Resolvers keyed by message id, filled by the worker's completion signal. */
class Arrivals {
  private readonly waiting = new Map<string, () => void>();
  private readonly early = new Set<string>();

  arrived(id: string): void {
    const resolve = this.waiting.get(id);
    if (resolve) {
      this.waiting.delete(id);
      resolve();
    } else this.early.add(id);
  }

  wait(id: string): Promise<void> {
    if (this.early.delete(id)) return Promise.resolve();
    return new Promise((resolve) => this.waiting.set(id, resolve));
  }
}

export async function run(): Promise<BenchReport> {
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const connection = redisOptionsFromUrl(redisUrl);
  const tag = randomBytes(4).toString('hex');
  const dbName = `pe_bench_sms_${tag}`;
  await admin(serverUrl, `CREATE DATABASE ${dbName}`);
  const dbUrl = Object.assign(new URL(serverUrl), { pathname: `/${dbName}` }).toString();
  const db = await openMigratedDatabase(dbUrl);

  // A: the pipeline.
  const store = new SmsMessageStore(db.dataSource);
  const sealer = new PayloadSealer(randomBytes(32).toString('base64url'));
  const arrivalsA = new Arrivals();
  const delivery = new SmsDelivery(store, new OutboxSmsProvider(db.dataSource, systemClock), sealer, systemClock, (outcome, _provider, job) => {
    if (outcome === 'sent') arrivalsA.arrived(job.messageId);
  });
  const queueA = new BullMqSmsQueue(connection, `bench-a-${tag}`);
  const workerA = new BullMqSmsWorker(connection, `bench-a-${tag}`, (job) => delivery.deliver(job), { concurrency: CONCURRENCY });
  let seq = 0;
  const pipeline: Side = {
    label: 'A pipeline',
    async send() {
      const id = randomUUID();
      seq += 1;
      const now = new Date();
      await store.insert({
        id,
        provinceId: 'hunan',
        phone: `138${String(seq % 1e8).padStart(8, '0')}`,
        purpose: 'registration',
        signName: '湖南医保',
        payload: sealer.seal(id, { text: '【湖南医保】您正在注册医保网上服务大厅，验证码 123456，5 分钟内有效。', params: { code: '123456', minutes: '5' } }),
        createdAt: now,
        expiresAt: new Date(now.getTime() + 300_000),
      });
      await queueA.enqueue({ messageId: id, provinceId: 'hunan' });
      return id;
    },
    delivered: (id) => arrivalsA.wait(id),
  };

  // B: raw BullMQ, no-op worker.
  const arrivalsB = new Arrivals();
  const queueB = new Queue('raw', { connection, prefix: `bench-b-${tag}`, defaultJobOptions: { removeOnComplete: { count: 10_000 }, removeOnFail: { count: 10_000 } } });
  const workerB = new Worker('raw', () => Promise.resolve(), { connection, prefix: `bench-b-${tag}`, concurrency: CONCURRENCY });
  workerB.on('completed', (job) => arrivalsB.arrived(job.id ?? ''));
  const raw: Side = {
    label: 'B raw BullMQ',
    async send() {
      const id = randomUUID();
      await queueB.add('noop', { messageId: id, provinceId: 'hunan' }, { jobId: id });
      return id;
    },
    delivered: (id) => arrivalsB.wait(id),
  };

  // C: raw BullMQ, a worker that writes one row per job.
  await db.dataSource.query('CREATE TABLE bench_raw_deliveries (id uuid PRIMARY KEY, province_id text NOT NULL, delivered_at timestamptz NOT NULL DEFAULT now())');
  const arrivalsC = new Arrivals();
  const queueC = new Queue('raw-row', { connection, prefix: `bench-c-${tag}`, defaultJobOptions: { removeOnComplete: { count: 10_000 }, removeOnFail: { count: 10_000 } } });
  const workerC = new Worker<{ messageId: string; provinceId: string }>(
    'raw-row',
    async (job) => {
      await db.dataSource.query('INSERT INTO bench_raw_deliveries (id, province_id) VALUES ($1, $2)', [job.data.messageId, job.data.provinceId]);
    },
    { connection, prefix: `bench-c-${tag}`, concurrency: CONCURRENCY },
  );
  workerC.on('completed', (job) => arrivalsC.arrived(job.id ?? ''));
  const rawRow: Side = {
    label: 'C raw BullMQ + 1 row',
    async send() {
      const id = randomUUID();
      await queueC.add('row', { messageId: id, provinceId: 'hunan' }, { jobId: id });
      return id;
    },
    delivered: (id) => arrivalsC.wait(id),
  };

  try {
    await Promise.all([workerA.worker.waitUntilReady(), workerB.waitUntilReady(), workerC.waitUntilReady()]);
    // Warm-up: connections, scripts, JIT, PostgreSQL caches.
    await throughput(pipeline, 200);
    await throughput(raw, 200);
    await throughput(rawRow, 200);
    const rounds: Array<{ a: number; b: number; c: number }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      rounds.push({ a: await throughput(pipeline, THROUGHPUT_MESSAGES), b: await throughput(raw, THROUGHPUT_MESSAGES), c: await throughput(rawRow, THROUGHPUT_MESSAGES) });
    }
    const latencyA = await fixedRate(pipeline);
    const latencyB = await fixedRate(raw);
    const latencyC = await fixedRate(rawRow);
    const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)] ?? NaN;
    const data = {
      node: process.version,
      date: new Date().toISOString(),
      concurrency: CONCURRENCY,
      throughput: { messages: THROUGHPUT_MESSAGES, rounds, medianA: median(rounds.map((r) => r.a)), medianB: median(rounds.map((r) => r.b)), medianC: median(rounds.map((r) => r.c)) },
      latency: { ratePerSecond: RATE_PER_SECOND, messages: RATE_MESSAGES, a: latencyA, b: latencyB, c: latencyC },
    };
    return { name: 'sms', table: render(data), data };
  } finally {
    await workerA.close();
    await workerB.close();
    await workerC.close();
    await queueA.queue.obliterate({ force: true }).catch(() => undefined);
    await queueB.obliterate({ force: true }).catch(() => undefined);
    await queueC.obliterate({ force: true }).catch(() => undefined);
    await queueA.close();
    await queueB.close();
    await queueC.close();
    await db.close();
    await admin(serverUrl, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  }
}

/** Messages/s from the first enqueue to the last delivery; enqueues go out in concurrent batches. */
async function throughput(side: Side, messages: number): Promise<number> {
  const start = process.hrtime.bigint();
  const deliveries: Array<Promise<void>> = [];
  for (let i = 0; i < messages; i += ENQUEUE_BATCH) {
    const ids = await Promise.all(Array.from({ length: Math.min(ENQUEUE_BATCH, messages - i) }, () => side.send()));
    deliveries.push(...ids.map((id) => side.delivered(id)));
  }
  await Promise.all(deliveries);
  return messages / (Number(process.hrtime.bigint() - start) / 1e9);
}

interface LatencyFigures {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  achievedPerSecond: number;
}

/** One message every 1/rate s (scheduled against the start, so a slow send does not shift the rest); latency = delivered − scheduled. */
async function fixedRate(side: Side): Promise<LatencyFigures> {
  const intervalMs = 1000 / RATE_PER_SECOND;
  const start = performance.now();
  const latencies: Array<Promise<number>> = [];
  for (let i = 0; i < RATE_MESSAGES; i++) {
    const due = start + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    latencies.push(side.send().then((id) => side.delivered(id).then(() => performance.now() - due)));
  }
  const sorted = (await Promise.all(latencies)).sort((x, y) => x - y);
  const elapsedS = (performance.now() - start) / 1000;
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? NaN;
  return { p50Ms: rank(0.5), p99Ms: rank(0.99), maxMs: sorted.at(-1) ?? NaN, achievedPerSecond: RATE_MESSAGES / elapsedS };
}

function render(data: {
  concurrency: number;
  throughput: { messages: number; rounds: Array<{ a: number; b: number; c: number }>; medianA: number; medianB: number; medianC: number };
  latency: { ratePerSecond: number; a: LatencyFigures; b: LatencyFigures; c: LatencyFigures };
}): string {
  const row = (label: string, r: { a: number; b: number; c: number }) => [label, fmt(r.a, 0), fmt(r.b, 0), fmt(r.c, 0), `${fmt(r.a / r.b, 2)}x`, `${fmt(r.a / r.c, 2)}x`];
  const rows = data.throughput.rounds.map((r, i) => row(`round ${i + 1}`, r));
  rows.push(row('median', { a: data.throughput.medianA, b: data.throughput.medianB, c: data.throughput.medianC }));
  const { a, b, c } = data.latency;
  return [
    `throughput, ${data.throughput.messages} messages per round, worker concurrency ${data.concurrency} (messages/s, enqueue → delivered)`,
    formatTable(['', 'A pipeline', 'B raw BullMQ', 'C raw + 1 row', 'A/B', 'A/C'], rows),
    '',
    `latency at a fixed ${data.latency.ratePerSecond} messages/s (enqueue scheduled → delivered, ms)`,
    formatTable(
      ['', 'p50', 'p99', 'max'],
      [
        ['A pipeline', fmt(a.p50Ms, 1), fmt(a.p99Ms, 1), fmt(a.maxMs, 1)],
        ['B raw BullMQ', fmt(b.p50Ms, 1), fmt(b.p99Ms, 1), fmt(b.maxMs, 1)],
        ['C raw BullMQ + 1 row', fmt(c.p50Ms, 1), fmt(c.p99Ms, 1), fmt(c.maxMs, 1)],
      ],
    ),
    'A = insert sealed message (PostgreSQL) + BullMQ add → worker: claim (sent flag) + unseal + outbox insert + mark sent; B = BullMQ add → no-op worker; C = BullMQ add → worker inserts one row',
  ].join('\n');
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
