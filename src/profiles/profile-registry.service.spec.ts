import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '#src/config/app-config.js';
import { ProfileLoadError, ProfileRegistry, ReloadStepError } from '#src/profiles/profile-registry.service.js';
import type { RevisionRecorder, SetVersion } from '#src/profiles/profile-revisions.service.js';
import type { CompiledProfile } from '#src/profiles/profile-compiler.js';
import { AppException } from '#src/errors/app-exception.js';

/** Records in memory what the database-backed recorder would write (this is a unit test of the registry). */
class MemoryRecorder implements RevisionRecorder {
  readonly latest = new Map<string, string>();
  readonly published: SetVersion[] = [];
  recordChanged(profiles: readonly CompiledProfile[], set: SetVersion): Promise<string[]> {
    const changed = profiles.filter((p) => this.latest.get(p.profile.id) !== p.hash).map((p) => p.profile.id);
    for (const p of profiles) this.latest.set(p.profile.id, p.hash);
    this.published.push(set);
    return Promise.resolve(changed);
  }
}

let dir: string;
let templatesDir: string;
let registry: ProfileRegistry;
let recorder: MemoryRecorder;

async function makeRegistry(watch = false): Promise<ProfileRegistry> {
  const config = { profilesDir: dir, profilesWatch: watch, templatesDir } as AppConfig;
  recorder = new MemoryRecorder();
  const r = new ProfileRegistry(config, recorder);
  await r.onModuleInit();
  r.onApplicationBootstrap();
  return r;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'profiles-'));
  await cp('provinces', dir, { recursive: true });
  templatesDir = await mkdtemp(join(tmpdir(), 'templates-'));
  await cp('templates/sms', join(templatesDir, 'sms'), { recursive: true });
  registry = await makeRegistry();
});

afterEach(async () => {
  registry.onModuleDestroy();
  await rm(dir, { recursive: true, force: true });
  await rm(templatesDir, { recursive: true, force: true });
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
    const before = registry.current().version;
    const outcome = await registry.reload();
    expect(outcome).toMatchObject({ ok: true, version: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown, changed: ['hubei'] });
    expect(outcome.version).not.toBe(before);
    expect(registry.find('hubei')?.profile.name).toBe('湖北省');
  });

  it('names its version by the files’ content, so another node reading the same files reports the same one', async () => {
    const other = await makeRegistry();
    try {
      expect(other.current().version).toBe(registry.current().version);
      await writeFile(join(templatesDir, 'sms', 'registration.hbs'), '【{{signName}}】新的注册验证码 {{code}}');
      expect((await registry.reload()).version).not.toBe(other.current().version);
      expect((await other.reload()).version).toBe(registry.current().version);
    } finally {
      other.onModuleDestroy();
    }
  });

  it('publishes each reload, and announces even an unchanged one so a node that failed before tries again', async () => {
    expect(recorder.published).toEqual([{ version: registry.current().version, announce: false }]);
    await registry.reload();
    expect(recorder.published.at(-1)).toEqual({ version: registry.current().version, announce: true });
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
    const order: string[] = [];
    registry.addReloadStep({
      prepare: async () => {
        order.push('prepare');
        await new Promise((resolve) => setTimeout(resolve, 20));
        return () => order.push('swap');
      },
    });
    const outcomes = await Promise.all([registry.reload(), registry.reload(), registry.reload()]);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(order).toEqual(['prepare', 'swap', 'prepare', 'swap', 'prepare', 'swap']);
    expect(registry.current().profiles).toHaveLength(5);
  });

  it('installs nothing when a reload step (the page templates) finds a bad file, and lists it with the profiles’ problems', async () => {
    const before = registry.current();
    let swapped = false;
    registry.addReloadStep({
      prepare: () => Promise.reject(new ReloadStepError({ file: 'templates/pages/home.hbs', line: 2, col: 1, pointer: '', message: '模板语法错误' })),
    });
    registry.addReloadStep({ prepare: () => Promise.resolve(() => (swapped = true)) });
    await writeFile(join(dir, 'hubei.yaml'), await sixth());
    expect(await registry.reload()).toMatchObject({ ok: false, issues: [{ file: 'templates/pages/home.hbs', line: 2 }] });
    expect(registry.current()).toBe(before);
    expect(swapped).toBe(false);
    expect(registry.health().errors).toEqual(['templates/pages/home.hbs:2:1  /  模板语法错误']);
  });

  it('following another node’s version re-reads the files without publishing, and does nothing when it already serves it', async () => {
    const served = registry.current();
    expect(await registry.follow(served.version)).toBeUndefined();
    expect(registry.current()).toBe(served);
    await writeFile(join(dir, 'hubei.yaml'), await sixth());
    const published = recorder.published.length;
    const outcome = await registry.follow('f'.repeat(64));
    expect(outcome).toMatchObject({ ok: true, changed: ['hubei'] });
    expect(registry.find('hubei')).toBeDefined();
    expect(recorder.published).toHaveLength(published);
  });

  it('a node whose files are broken keeps serving its set when told to follow, and says so on health', async () => {
    const served = registry.current();
    await writeFile(join(dir, 'anhui.yaml'), 'id: [\n');
    expect(await registry.follow('f'.repeat(64))).toMatchObject({ ok: false });
    expect(registry.current()).toBe(served);
    expect(registry.health().errors).toEqual([expect.stringMatching(/anhui\.yaml/)]);
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
