import { mkdtemp } from 'node:fs/promises';
import { connect as netConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import pg from 'pg';

// Jest loads this file outside its module mapper: it imports packages only, no `#test/…` or `#src/…`.

/**
 * `npm run test:services` must fail, not skip, when its services are missing: a green run that
 * quietly tested only the embedded defaults would say nothing about PostgreSQL and Redis.
 */
export default async function globalSetup(): Promise<void> {
  // The migrated PGlite dump of this run (test/support/migrated-database.ts reads the same
  // variable): the workers, started after this, inherit it; global-teardown.ts removes the folder.
  process.env.PE_TEST_DUMP_DIR = await mkdtemp(join(tmpdir(), 'pe-test-dump-'));
  if (process.env.TEST_SERVICES !== 'true') return;
  const { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl } = process.env;
  const problems: string[] = [];
  if (!databaseUrl) problems.push('DATABASE_URL 未设置（例如 postgres://postgres@127.0.0.1:5432/test）');
  else await pingPostgres(databaseUrl).catch((error: unknown) => problems.push(`PostgreSQL 无法连接（${redact(databaseUrl)}）：${String(error)}`));
  if (!redisUrl) problems.push('REDIS_URL 未设置（例如 redis://127.0.0.1:6379）');
  else await pingRedis(redisUrl).catch((error: unknown) => problems.push(`Redis 无法连接（${redact(redisUrl)}）：${String(error)}`));
  if (problems.length > 0) {
    throw new Error(`TEST_SERVICES=true 需要可用的 PostgreSQL 与 Redis：\n${problems.join('\n')}`);
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}

async function pingPostgres(url: string, timeoutMs = 3000): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** PING over a raw socket (AUTH first when the URL has a password): no Redis client needed for this. */
function pingRedis(url: string, timeoutMs = 3000): Promise<void> {
  const target = new URL(url);
  const port = Number(target.port || 6379);
  const host = target.hostname || '127.0.0.1';
  const commands: string[][] = [];
  if (target.password) {
    commands.push(target.username ? ['AUTH', decodeURIComponent(target.username), decodeURIComponent(target.password)] : ['AUTH', decodeURIComponent(target.password)]);
  }
  commands.push(['PING']);
  const payload = commands.map((args) => `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`).join('');

  return new Promise((resolve, reject) => {
    const socket: Socket = target.protocol === 'rediss:' ? tlsConnect({ host, port, servername: host }) : netConnect({ host, port });
    let received = '';
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(timeoutMs, () => fail(new Error(`Redis ${host}:${port} 在 ${timeoutMs} ms 内没有响应`)));
    socket.once('error', fail);
    socket.once(target.protocol === 'rediss:' ? 'secureConnect' : 'connect', () => socket.write(payload));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8');
      if (received.startsWith('-')) return fail(new Error(`Redis 返回错误：${received.trim()}`));
      const lines = received.split('\r\n').filter(Boolean);
      if (lines.length < commands.length) return;
      socket.end();
      if (lines.at(-1) === '+PONG') resolve();
      else reject(new Error(`Redis PING 的回答不是 PONG：${received.trim()}`));
    });
  });
}
