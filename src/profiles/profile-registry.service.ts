import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { watch, type FSWatcher } from 'node:fs';
import { APP_CONFIG, type AppConfig } from '#src/config/app-config.js';
import { compileProfileDir } from '#src/profiles/profile-files.js';
import { formatIssue, type ProfileIssue } from '#src/profiles/profile-issue.js';
import type { CompiledProfile } from '#src/profiles/profile-compiler.js';
import type { RevisionRecorder } from '#src/profiles/profile-revisions.service.js';
import { profilesException, ProfilesErrorCode } from '#src/profiles/profiles.exception.js';

export const REVISION_RECORDER = Symbol('REVISION_RECORDER');

/** One immutable, fully resolved set of profiles. Replaced whole, never edited in place. */
export interface ProfileSnapshot {
  version: number;
  loadedAt: Date;
  profiles: readonly CompiledProfile[];
  byId: ReadonlyMap<string, CompiledProfile>;
  byCode: ReadonlyMap<string, CompiledProfile>;
  byHost: ReadonlyMap<string, CompiledProfile>;
}

export type ReloadOutcome =
  | { ok: true; version: number; loaded: string[]; changed: string[]; removed: string[]; loadedAt: Date }
  | { ok: false; version: number; loaded: string[]; issues: ProfileIssue[]; failedAt: Date };

export class ProfileLoadError extends Error {
  constructor(readonly issues: ProfileIssue[]) {
    super(`省份配置有 ${issues.length} 处错误，服务未启动：\n${issues.map(formatIssue).join('\n')}`);
    this.name = 'ProfileLoadError';
  }
}

const WATCH_DEBOUNCE_MS = 250;

@Injectable()
export class ProfileRegistry implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ProfileRegistry.name);
  private snapshot: ProfileSnapshot | undefined;
  private lastFailure: Extract<ReloadOutcome, { ok: false }> | undefined;
  /** Reloads run one after another: two overlapping reloads must not race to install. */
  private queue: Promise<unknown> = Promise.resolve();
  private watcher: FSWatcher | undefined;
  private debounce: NodeJS.Timeout | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REVISION_RECORDER) private readonly revisions: RevisionRecorder,
  ) {}

  /** At boot a broken profile stops the service: there is no good set to fall back on. */
  async onModuleInit(): Promise<void> {
    const { profiles, issues } = await compileProfileDir(this.config.profilesDir, this.config.templatesDir);
    if (issues.length > 0) throw new ProfileLoadError(issues);
    const changed = await this.install(profiles);
    this.logger.log(`已加载 ${profiles.length} 个省份配置：${profiles.map((p) => p.profile.id).join(', ')}${changed.length ? `（新版本：${changed.join(', ')}）` : ''}`);
  }

  onApplicationBootstrap(): void {
    if (this.config.profilesWatch) this.startWatching();
  }

  onModuleDestroy(): void {
    clearTimeout(this.debounce);
    this.watcher?.close();
  }

  /** Compile the folder again; install the new set only if every file is good. */
  reload(): Promise<ReloadOutcome> {
    const run = this.queue.then(() => this.reloadNow());
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async reloadNow(): Promise<ReloadOutcome> {
    const { profiles, issues } = await compileProfileDir(this.config.profilesDir, this.config.templatesDir);
    if (issues.length > 0) {
      const current = this.current();
      this.lastFailure = { ok: false, version: current.version, loaded: current.profiles.map((p) => p.profile.id), issues, failedAt: new Date() };
      this.logger.error(`省份配置重新加载失败，继续使用版本 ${current.version}：\n${issues.map(formatIssue).join('\n')}`);
      return this.lastFailure;
    }
    const before = this.current().byId;
    const changed = await this.install(profiles);
    this.lastFailure = undefined;
    const snapshot = this.current();
    const removed = [...before.keys()].filter((id) => !snapshot.byId.has(id));
    const summary = [changed.length ? `变更：${changed.join(', ')}` : '', removed.length ? `移除：${removed.join(', ')}` : ''].filter(Boolean).join('；') || '无变更';
    this.logger.log(`省份配置已重新加载为版本 ${snapshot.version}，${summary}`);
    return { ok: true, version: snapshot.version, loaded: snapshot.profiles.map((p) => p.profile.id), changed, removed, loadedAt: snapshot.loadedAt };
  }

  private async install(profiles: readonly CompiledProfile[]): Promise<string[]> {
    const sorted = [...profiles].sort((a, b) => a.profile.code.localeCompare(b.profile.code));
    const next: ProfileSnapshot = {
      version: (this.snapshot?.version ?? 0) + 1,
      loadedAt: new Date(),
      profiles: sorted,
      byId: new Map(sorted.map((p) => [p.profile.id, p])),
      byCode: new Map(sorted.map((p) => [p.profile.code, p])),
      byHost: new Map(sorted.flatMap((p) => p.profile.hosts.map((host) => [host, p] as const))),
    };
    const changed = await this.revisions.recordChanged(sorted);
    // The single assignment is the swap: readers hold either the old set or the new, never a mix.
    this.snapshot = next;
    return changed;
  }

  private startWatching(): void {
    this.watcher = watch(this.config.profilesDir, (_event, name) => {
      if (name && !name.endsWith('.yaml')) return;
      clearTimeout(this.debounce);
      this.debounce = setTimeout(() => {
        this.reload().catch((error: unknown) => this.logger.error(`省份配置重新加载出错：${String(error)}`));
      }, WATCH_DEBOUNCE_MS);
    });
    this.logger.log(`正在监视 ${this.config.profilesDir}，配置文件变更后自动重新加载`);
  }

  current(): ProfileSnapshot {
    if (!this.snapshot) throw new Error('ProfileRegistry used before the profiles were loaded');
    return this.snapshot;
  }

  /** By id (`hunan`) or GB/T 2260 code (`430000`). */
  find(idOrCode: string): CompiledProfile | undefined {
    const snapshot = this.current();
    return snapshot.byId.get(idOrCode) ?? snapshot.byCode.get(idOrCode);
  }

  require(idOrCode: string): CompiledProfile {
    const found = this.find(idOrCode);
    if (found) return found;
    const known = this.current().profiles.map((p) => `${p.profile.id}（${p.profile.name}）`).join('、');
    throw profilesException(ProfilesErrorCode.PROVINCE_NOT_FOUND, `未找到省份“${idOrCode}”。可用的省份：${known}`, undefined, {
      provinces: this.current().profiles.map((p) => p.profile.id),
    });
  }

  findByHost(host: string): CompiledProfile | undefined {
    return this.current().byHost.get(host.toLowerCase());
  }

  lastReloadFailure(): Extract<ReloadOutcome, { ok: false }> | undefined {
    return this.lastFailure;
  }

  /** For /health: which provinces serve, and the errors of the last failed reload if any. */
  health(): { loaded: string[]; errors: string[]; version: number } {
    const snapshot = this.current();
    return { loaded: snapshot.profiles.map((p) => p.profile.id), errors: (this.lastFailure?.issues ?? []).map(formatIssue), version: snapshot.version };
  }
}
