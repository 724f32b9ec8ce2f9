import type { FastifyReply } from 'fastify';
import type { DataSource } from 'typeorm';
import { checkDatabase } from '#src/database/database-health.js';
import { HealthController } from '#src/health/health.controller.js';
import type { NodeIdentity } from '#src/profiles/node-identity.js';
import type { ProfileRegistry } from '#src/profiles/profile-registry.service.js';
import type { ProfileSync, ProfileSyncStatus } from '#src/profiles/profile-sync.js';
import type { SmsMonitor, SmsQueueHealth } from '#src/sms/sms-monitor.js';

function dataSource(query: () => Promise<unknown>, isInitialized = true): DataSource {
  return { isInitialized, query } as unknown as DataSource;
}

function registry(errors: string[]): ProfileRegistry {
  return { health: () => ({ loaded: ['hunan'], errors, version: 'a'.repeat(64) }) } as unknown as ProfileRegistry;
}

const NODE: NodeIdentity = { id: 'host-a:42:abcdef', hostname: 'host-a', pid: 42 };
const SYNC_OFF: ProfileSyncStatus = { mechanism: 'off', listening: false, published: undefined };
const sync = { status: () => SYNC_OFF } as unknown as ProfileSync;

function controller(profiles: ProfileRegistry, db: DataSource, queue: SmsMonitor = sms()): HealthController {
  return new HealthController(profiles, db, queue, sync, NODE);
}

const QUEUE_UP: SmsQueueHealth = { adapter: 'inline', status: 'up', depth: { waiting: 0, active: 0, delayed: 0, failed: 0 } };

function sms(health: SmsQueueHealth = QUEUE_UP): SmsMonitor {
  return { health: () => Promise.resolve(health) } as unknown as SmsMonitor;
}

function reply(): FastifyReply & { statusCode?: number } {
  const fake = {
    statusCode: undefined as number | undefined,
    status(code: number) {
      fake.statusCode = code;
      return fake;
    },
  };
  return fake as unknown as FastifyReply & { statusCode?: number };
}

describe('checkDatabase', () => {
  it('is up when SELECT 1 answers', async () => {
    await expect(checkDatabase(dataSource(() => Promise.resolve([{ '?column?': 1 }])))).resolves.toBe('up');
  });

  it('is down when the query fails or the data source is not initialised', async () => {
    await expect(checkDatabase(dataSource(() => Promise.reject(new Error('ECONNREFUSED'))))).resolves.toBe('down');
    await expect(checkDatabase(dataSource(() => Promise.resolve([]), false))).resolves.toBe('down');
  });

  it('is down when the query outlives the deadline', async () => {
    await expect(checkDatabase(dataSource(() => new Promise(() => undefined)), 20)).resolves.toBe('down');
  });
});

describe('HealthController', () => {
  it('is ok with the database up and no profile errors', async () => {
    const res = reply();
    const report = await controller(registry([]), dataSource(() => Promise.resolve([]))).health(res);
    expect(report).toEqual({ status: 'ok', profiles: { loaded: ['hunan'], errors: [], version: 'a'.repeat(64), node: NODE, sync: SYNC_OFF }, db: 'up', queue: QUEUE_UP });
    expect(res.statusCode).toBeUndefined();
  });

  it('is degraded but 200 when a profile reload failed', async () => {
    const res = reply();
    const report = await controller(registry(['hunan.yaml:1:1 bad']), dataSource(() => Promise.resolve([]))).health(res);
    expect(report.status).toBe('degraded');
    expect(res.statusCode).toBeUndefined();
  });

  it('is degraded with 503 when the database is down', async () => {
    const res = reply();
    const report = await controller(registry([]), dataSource(() => Promise.reject(new Error('down')))).health(res);
    expect(report).toMatchObject({ status: 'degraded', db: 'down' });
    expect(res.statusCode).toBe(503);
  });

  it('is degraded but 200 when the SMS queue cannot reach Redis', async () => {
    const res = reply();
    const down: SmsQueueHealth = { adapter: 'bullmq', status: 'down', error: 'Redis 无响应' };
    const report = await controller(registry([]), dataSource(() => Promise.resolve([])), sms(down)).health(res);
    expect(report).toMatchObject({ status: 'degraded', db: 'up', queue: down });
    expect(res.statusCode).toBeUndefined();
  });
});
