import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { createApp } from '#src/app-factory.js';
import type { AppConfig } from '#src/config/app-config.js';
import { loadConfig } from '#src/config/load-config.js';
import { DataDirLockedError } from '#src/database/data-dir-lock.js';
import { EmbeddedDatabase } from '#src/database/embedded-database.js';
import { MIGRATIONS } from '#src/database/migration-list.js';
import { startTestApp, type TestApp } from '#test/support/test-app.js';

describe('migrations', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp();
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('are all applied at start, creating profile_revisions and its index', async () => {
    const dataSource = testApp.app.get<DataSource>(getDataSourceToken());
    const applied: Array<{ name: string }> = await dataSource.query('SELECT name FROM migrations ORDER BY id');
    expect(applied.map((row) => row.name)).toEqual(MIGRATIONS.map((migration) => new migration().name));
    const [table] = await dataSource.query<Array<{ regclass: string | null }>>(`SELECT to_regclass('public.profile_revisions')::text AS regclass`);
    expect(table?.regclass).toBe('profile_revisions');
    const indexes: Array<{ indexname: string }> = await dataSource.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'profile_revisions'`);
    expect(indexes.map((row) => row.indexname)).toContain('profile_revisions_province_loaded_idx');
  });

  it('records the loaded profiles as revisions', async () => {
    const dataSource = testApp.app.get<DataSource>(getDataSourceToken());
    const rows: Array<{ province_id: string }> = await dataSource.query('SELECT DISTINCT province_id FROM profile_revisions');
    expect(rows.map((row) => row.province_id)).toContain('hunan');
  });
});

describe('the embedded database directory lock', () => {
  let dir: string;
  let first: EmbeddedDatabase | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pglite-lock-'));
    first = await EmbeddedDatabase.open(join(dir, 'db'));
  });

  afterAll(async () => {
    await first?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('holds our pid beside the data directory while open', async () => {
    expect((await readFile(join(dir, 'db.lock'), 'utf8')).trim()).toBe(String(process.pid));
  });

  const onDisk = (profilesDir = 'provinces'): AppConfig => ({
    nodeEnv: 'test',
    port: 0,
    host: '127.0.0.1',
    logLevel: 'silent',
    database: { kind: 'pglite', dataDir: join(dir, 'db') },
    redisUrl: undefined,
    profilesDir,
    profilesWatch: false,
    adminToken: undefined,
    devTools: false,
    templatesDir: 'templates',
    sms: loadConfig({}).sms,
  });

  it('refuses a second open of the same directory, naming the holder', async () => {
    const second = createApp(onDisk());
    await expect(second).rejects.toThrow(DataDirLockedError);
    await expect(second).rejects.toThrow(`已被进程 ${process.pid} 占用`);
  });

  it('frees the lock on close, so the directory opens again', async () => {
    await first?.close();
    first = undefined;
    expect(existsSync(join(dir, 'db.lock'))).toBe(false);
    const again = await EmbeddedDatabase.open(join(dir, 'db'));
    await again.close();
  });

  it('closes the database and frees the lock when the app fails to start', async () => {
    await expect(createApp(onDisk(join(dir, 'no-such-profiles')))).rejects.toThrow();
    expect(existsSync(join(dir, 'db.lock'))).toBe(false);
  });
});
