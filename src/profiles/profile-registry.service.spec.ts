import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '#src/config/app-config.js';
import { ProfileLoadError, ProfileRegistry } from '#src/profiles/profile-registry.service.js';
import type { RevisionRecorder } from '#src/profiles/profile-revisions.service.js';
import type { CompiledProfile } from '#src/profiles/profile-compiler.js';
import { AppException } from '#src/errors/app-exception.js';

/** Records in memory what the database-backed recorder would write (this is a unit test of the registry). */
class MemoryRecorder implements RevisionRecorder {
  readonly latest = new Map<string, string>();
  recordChanged(profiles: readonly CompiledProfile[]): Promise<string[]> {
    const changed = profiles.filter((p) => this.latest.get(p.profile.id) !== p.hash).map((p) => p.profile.id);
    for (const p of profiles) this.latest.set(p.profile.id, p.hash);
    return Promise.resolve(changed);
  }
}

let dir: string;
let registry: ProfileRegistry;

async function makeRegistry(watch = false): Promise<ProfileRegistry> {
  const config = { profilesDir: dir, profilesWatch: watch } as AppConfig;
  const r = new ProfileRegistry(config, new MemoryRecorder());
  await r.onModuleInit();
  r.onApplicationBootstrap();
  return r;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'profiles-'));
  await cp('provinces', dir, { recursive: true });
  registry = await makeRegistry();
});

afterEach(async () => {
  registry.onModuleDestroy();
  await rm(dir, { recursive: true, force: true });
});

const sixth = async () => (await readFile(join(dir, 'hunan.yaml'), 'utf8')).replace('id: hunan', 'id: hubei').replace('code: "430000"', 'code: "420000"').replace('name: 湖南省', 'name: 湖北省');

describe('ProfileRegistry', () => {
  it('finds a province by id or by GB/T 2260 code', () => {
    expect(registry.find('hunan')?.profile.code).toBe('430000');
    expect(registry.find('340000')?.profile.id).toBe('anhui');
    expect(registry.find('nowhere')).toBeUndefined();
  });

  it('answers an unknown province with a coded 404 that lists the known ones', () => {
    expect(() => registry.require('nowhere')).toThrow(AppException);
    try {
      registry.require('nowhere');
    } catch (error) {
      expect(error).toMatchObject({ code: 'PROVINCE_NOT_FOUND', status: 404 });
      expect((error as Error).message).toContain('hunan（湖南省）');
    }
  });

  it('serves a new valid file after reload, without a restart', async () => {
    await writeFile(join(dir, 'hubei.yaml'), await sixth());
    const outcome = await registry.reload();
    expect(outcome).toMatchObject({ ok: true, version: 2, changed: ['hubei'] });
    expect(registry.find('hubei')?.profile.name).toBe('湖北省');
  });

  it('keeps the running set untouched when a file is broken, and reports it on health', async () => {
    const before = registry.current();
    await writeFile(join(dir, 'hubei.yaml'), await sixth());
    await writeFile(join(dir, 'anhui.yaml'), 'id: anhui\ncode: [\n');
    const outcome = await registry.reload();
    expect(outcome.ok).toBe(false);
    expect(registry.current()).toBe(before);
    expect(registry.find('hubei')).toBeUndefined();
    expect(registry.health().errors).toEqual([expect.stringMatching(/anhui\.yaml:\d+:\d+/)]);
    expect(registry.health().loaded).toEqual(before.profiles.map((p) => p.profile.id));
  });

  it('clears the reported error once the files are good again', async () => {
    const good = await readFile(join(dir, 'anhui.yaml'), 'utf8');
    await writeFile(join(dir, 'anhui.yaml'), 'id: [\n');
    await registry.reload();
    await writeFile(join(dir, 'anhui.yaml'), good);
    expect(await registry.reload()).toMatchObject({ ok: true, changed: [], removed: [] });
    expect(registry.health().errors).toEqual([]);
  });

  it('stops serving a province whose file was removed, and says so', async () => {
    await rm(join(dir, 'neimenggu.yaml'));
    expect(await registry.reload()).toMatchObject({ ok: true, removed: ['neimenggu'] });
    expect(registry.find('150000')).toBeUndefined();
  });

  it('runs overlapping reloads one after another, each installing a whole set', async () => {
    const outcomes = await Promise.all([registry.reload(), registry.reload(), registry.reload()]);
    expect(outcomes.map((o) => o.version)).toEqual([2, 3, 4]);
    expect(registry.current().profiles).toHaveLength(5);
  });

  it('refuses to start on broken profiles, listing every problem', async () => {
    await writeFile(join(dir, 'jilin.yaml'), (await readFile(join(dir, 'jilin.yaml'), 'utf8')) + 'bogus: 1\n');
    await writeFile(join(dir, 'xizang.yaml'), 'id: [\n');
    const attempt = makeRegistry();
    await expect(attempt).rejects.toThrow(ProfileLoadError);
    await expect(attempt).rejects.toThrow(/jilin\.yaml:\d+:1 {2}\/bogus {2}未知的键 "bogus"[\s\S]*xizang\.yaml/);
  });

  it('in watch mode picks up a new file by itself', async () => {
    const watching = await makeRegistry(true);
    try {
      await writeFile(join(dir, 'hubei.yaml'), await sixth());
      const deadline = Date.now() + 10_000;
      while (!watching.find('hubei') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(watching.find('hubei')?.profile.code).toBe('420000');
    } finally {
      watching.onModuleDestroy();
    }
  });
});
