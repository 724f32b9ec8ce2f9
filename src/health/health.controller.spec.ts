import type { FastifyReply } from 'fastify';
import type { DataSource } from 'typeorm';
import { checkDatabase } from '#src/database/database-health.js';
import { HealthController } from '#src/health/health.controller.js';
import type { ProfileRegistry } from '#src/profiles/profile-registry.service.js';

function dataSource(query: () => Promise<unknown>, isInitialized = true): DataSource {
  return { isInitialized, query } as unknown as DataSource;
}

function registry(errors: string[]): ProfileRegistry {
  return { health: () => ({ loaded: ['hunan'], errors, version: 1 }) } as unknown as ProfileRegistry;
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
    const report = await new HealthController(registry([]), dataSource(() => Promise.resolve([]))).health(res);
    expect(report).toEqual({ status: 'ok', profiles: { loaded: ['hunan'], errors: [], version: 1 }, db: 'up', queue: { adapter: 'none' } });
    expect(res.statusCode).toBeUndefined();
  });

  it('is degraded but 200 when a profile reload failed', async () => {
    const res = reply();
    const report = await new HealthController(registry(['hunan.yaml:1:1 bad']), dataSource(() => Promise.resolve([]))).health(res);
    expect(report.status).toBe('degraded');
    expect(res.statusCode).toBeUndefined();
  });

  it('is degraded with 503 when the database is down', async () => {
    const res = reply();
    const report = await new HealthController(registry([]), dataSource(() => Promise.reject(new Error('down')))).health(res);
    expect(report).toMatchObject({ status: 'degraded', db: 'down' });
    expect(res.statusCode).toBe(503);
  });
});
