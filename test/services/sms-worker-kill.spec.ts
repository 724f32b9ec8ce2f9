/**
 * Issue 4, done-when: a worker killed (SIGKILL) in the middle of 1,000 messages and restarted —
 * every message ends sent exactly once at the provider (the outbox), none lost. Real PostgreSQL and
 * Redis; the worker is a child process running the standalone worker.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisOptionsFromUrl } from '#src/sms/redis-connection.js';
import { BullMqSmsQueue } from '#src/sms/bullmq-sms-queue.js';
import { PayloadSealer } from '#src/sms/payload-sealer.js';
import { SmsMessageStore } from '#src/sms/sms-message.store.js';
import { openMigratedDatabase, type MigratedDatabase } from '#test/support/migrated-database.js';
import { createScratchDatabase } from '#test/services/scratch-database.js';

const MESSAGES = 1000;
const SECRET = randomBytes(32).toString('base64url');
const PREFIX = `pe-kill-${randomBytes(4).toString('hex')}`;

let scratch: { url: string; drop: () => Promise<void> };
let db: MigratedDatabase;
let queue: BullMqSmsQueue;
let workDir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  scratch = await createScratchDatabase('pe_kill');
  db = await openMigratedDatabase(scratch.url);
  queue = new BullMqSmsQueue(redisOptionsFromUrl(process.env.REDIS_URL ?? ''), PREFIX);
  workDir = mkdtempSync(join(tmpdir(), 'sms-kill-'));
}, 60_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await queue.queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  await db.close();
  await scratch.drop();
  rmSync(workDir, { recursive: true, force: true });
});

function startWorker(callsLog: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', 'test/services/sms-worker-child.ts'], {
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: scratch.url,
      SMS_QUEUE_PREFIX: PREFIX,
      SMS_CODE_SECRET: SECRET,
      SMS_PROVIDER: 'outbox',
      PROVIDER_CALLS_LOG: callsLog,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
    child.once('exit', (code, signal) => reject(new Error(`worker exited before ready (${code ?? signal}): ${stderr}`)));
  });
}

async function count(sql: string): Promise<number> {
  const rows = await db.dataSource.query<Array<{ n: string }>>(sql);
  return Number(rows[0]?.n ?? 0);
}

/** Polls until `done()` or the deadline: the queue's pace is the machine's, not a fixed sleep. */
async function waitFor(what: string, done: () => Promise<boolean>, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (!(await done())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

it('a worker SIGKILLed in the middle of 1,000 messages, restarted: each one sent exactly once, none lost', async () => {
  const store = new SmsMessageStore(db.dataSource);
  const sealer = new PayloadSealer(SECRET);
  const now = new Date();
  const ids = Array.from({ length: MESSAGES }, () => randomUUID());
  for (const [i, id] of ids.entries()) {
    const phone = `138${String(i).padStart(8, '0')}`;
    await store.insert({
      id,
      provinceId: 'hunan',
      phone,
      purpose: 'registration',
      signName: '湖南医保',
      payload: sealer.seal(id, { text: `【湖南医保】验证码 ${String(i).padStart(6, '0')}`, params: { code: String(i).padStart(6, '0'), minutes: '5' } }),
      createdAt: now,
      expiresAt: new Date(now.getTime() + 600_000),
    });
  }
  for (let i = 0; i < ids.length; i += 100) {
    await Promise.all(ids.slice(i, i + 100).map((id) => queue.enqueue({ messageId: id, provinceId: 'hunan' })));
  }

  const callsLog = join(workDir, 'calls.log');
  const first = await startWorker(callsLog);
  await waitFor('a third of the messages', async () => (await count('SELECT count(*) AS n FROM sms_outbox')) >= MESSAGES / 3, 60_000);
  first.kill('SIGKILL');
  expect(await exited(first)).toEqual({ code: null, signal: 'SIGKILL' });
  const sentAtKill = await count(`SELECT count(*) AS n FROM sms_messages WHERE status = 'sent'`);
  expect(sentAtKill).toBeLessThan(MESSAGES);

  const second = await startWorker(callsLog);
  await waitFor('every message sent', async () => (await count(`SELECT count(*) AS n FROM sms_messages WHERE status = 'sent'`)) === MESSAGES, 90_000);
  second.kill('SIGTERM');
  expect(await exited(second)).toEqual({ code: 0, signal: null });

  // At the provider: one outbox row per message, for every message.
  const perMessage = await db.dataSource.query<Array<{ message_id: string; n: string }>>(`SELECT message_id, count(*) AS n FROM sms_outbox GROUP BY message_id`);
  expect(perMessage).toHaveLength(MESSAGES);
  expect(perMessage.every((row) => Number(row.n) === 1)).toBe(true);
  expect(new Set(perMessage.map((row) => row.message_id))).toEqual(new Set(ids));
  expect(await count(`SELECT count(*) AS n FROM sms_messages WHERE status <> 'sent' OR payload IS NOT NULL`)).toBe(0);

  // Provider calls: the sent flag kept redelivered jobs from calling again, except the few in flight at the kill.
  const calls = readFileSync(callsLog, 'utf8').split('\n').filter(Boolean);
  const repeated = calls.length - new Set(calls).size;
  expect(new Set(calls).size).toBe(MESSAGES);
  expect(repeated).toBeLessThanOrEqual(8);
  process.stdout.write(`kill test: ${sentAtKill} sent before SIGKILL, ${calls.length} provider calls for ${MESSAGES} messages (${repeated} repeated after the kill, stored once)\n`);

  const counts = await queue.queue.getJobCounts('completed', 'failed', 'waiting', 'active', 'delayed');
  expect(counts).toMatchObject({ failed: 0, waiting: 0, active: 0, delayed: 0 });
}, 180_000);
