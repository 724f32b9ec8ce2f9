import type { Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createApp, type CreateAppOptions } from '#src/app-factory.js';
import type { AppConfig } from '#src/config/app-config.js';
import { IN_MEMORY } from '#src/database/embedded-database.js';
import { migratedDump } from '#test/support/migrated-database.js';

/** True when the suite runs against real PostgreSQL and Redis (`npm run test:services`). */
export function servicesMode(): boolean {
  return process.env.TEST_SERVICES === 'true';
}

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** Closes the app (database, lock) and drops the scratch database if one was made. */
  close(): Promise<void>;
}

/**
 * One app per test file (beforeAll/afterAll): PGlite in memory by default; under
 * TEST_SERVICES=true a fresh database `pe_test_<random>` on the DATABASE_URL server, dropped on
 * close. Logs are silent unless TEST_LOG_LEVEL says otherwise.
 */
export async function startTestApp(overrides: Partial<AppConfig> = {}, options: CreateAppOptions = {}): Promise<TestApp> {
  const scratch = !overrides.database && servicesMode() ? await createScratchDatabase() : undefined;
  const config: AppConfig = {
    nodeEnv: 'test',
    port: 0,
    host: '127.0.0.1',
    logLevel: (process.env.TEST_LOG_LEVEL as AppConfig['logLevel'] | undefined) ?? 'silent',
    database: scratch ? { kind: 'postgres', url: scratch.url } : { kind: 'pglite', dataDir: IN_MEMORY, initialDump: await migratedDump() },
    redisUrl: servicesMode() ? process.env.REDIS_URL : undefined,
    profilesDir: resolve('provinces'),
    profilesWatch: false,
    adminToken: TEST_ADMIN_TOKEN,
    // Black-box tests read SMS codes and captcha answers through them.
    devTools: true,
    templatesDir: resolve('templates'),
    sms: {
      provider: 'outbox',
      codeSecret: randomBytes(32).toString('base64url'),
      codeSecretGenerated: false,
      templateIds: {},
      aliyun: undefined,
      tencent: undefined,
      // Files run in parallel on one Redis: each app gets its own queues.
      queuePrefix: `pe-test-${randomBytes(4).toString('hex')}`,
      worker: true,
    },
    ...overrides,
  };
  let app: NestFastifyApplication;
  try {
    // pino-pretty's worker thread has no place inside a Jest worker, terminal or not.
    app = await createApp(config, { ...options, logger: { pretty: false, ...options.logger } });
  } catch (error) {
    await scratch?.drop();
    throw error;
  }
  return {
    app,
    config,
    async close() {
      try {
        await app.close();
      } finally {
        await scratch?.drop();
        if (config.redisUrl) await dropRedisKeys(config.redisUrl, config.sms.queuePrefix);
      }
    },
  };
}

export interface TestAppHandle {
  /** The running app; only there inside tests (after beforeAll). */
  readonly testApp: TestApp;
  /** Its HTTP server, for supertest. */
  readonly http: Server;
}

/**
 * The usual shape of a test file: one app, started in beforeAll and closed in afterAll. Read
 * `suite.http` / `suite.testApp` inside the tests.
 */
export function useTestApp(overrides: Partial<AppConfig> = {}, options: CreateAppOptions = {}): TestAppHandle {
  let started: TestApp | undefined;
  // Starting is migrations on a fresh PGlite: seconds alone, much longer on a busy machine.
  beforeAll(async () => {
    started = await startTestApp(overrides, options);
  }, 120_000);
  afterAll(async () => {
    await started?.close();
  });
  const current = (): TestApp => {
    if (!started) throw new Error('useTestApp: the app exists only inside tests, after beforeAll');
    return started;
  };
  return {
    get testApp() {
      return current();
    },
    get http() {
      return current().app.getHttpAdapter().getInstance().server;
    },
  };
}

/** A database of its own per test file, so files running in parallel never see each other's rows. */
async function createScratchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('TEST_SERVICES=true 但未设置 DATABASE_URL');
  const name = `pe_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdminClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

async function withAdminClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** The file's queues (its own prefix) leave Redis with it. */
export async function dropRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 500 })) {
      if ((keys as string[]).length > 0) await redis.del(...(keys as string[]));
    }
  } finally {
    redis.disconnect();
  }
}
