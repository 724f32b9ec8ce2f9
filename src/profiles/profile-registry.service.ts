import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { watch, type FSWatcher } from 'node:fs';
import { APP_CONFIG, type AppConfig } from '#src/config/app-config.js';
import { compileProfileDir, displayPath } from '#src/profiles/profile-files.js';
import { formatIssue, type ProfileIssue } from '#src/profiles/profile-issue.js';
import type { CompiledProfile } from '#src/profiles/profile-compiler.js';
import type { RevisionRecorder } from '#src/profiles/profile-revisions.service.js';
import { profileSetVersion, templateFingerprints } from '#src/profiles/profile-set-version.js';
import { profilesException, ProfilesErrorCode } from '#src/profiles/profiles.exception.js';

export const REVISION_RECORDER = Symbol('REVISION_RECORDER');

/** One immutable, fully resolved set of profiles. Replaced whole, never edited in place. */
export interface ProfileSnapshot {
  /** The set's content hash (profileSetVersion): equal on every node that read the same files. */
  version: string;
  loadedAt: Date;
  profiles: readonly CompiledProfile[];
  byId: ReadonlyMap<string, CompiledProfile>;
  byCode: ReadonlyMap<string, CompiledProfile>;
  byHost: ReadonlyMap<string, CompiledProfile>;
}

export type ReloadOutcome =
  | { ok: true; version: string; loaded: string[]; changed: string[]; removed: string[]; loadedAt: Date }
  | { ok: false; version: string; loaded: string[]; issues: ProfileIssue[]; failedAt: Date };

/**
 * Something else that reloads with the profiles (the page templates): prepare() reads and checks its
 * files and returns the swap, which runs in the same tick as the profiles' swap; it throws on a bad
 * file (a TemplateIssueError names where), and then nothing is swapped at all.
 */
export interface ReloadStep {
  prepare(): Promise<() => void>;
}

/** A reload step's bad file, located like a profile problem. */
export class ReloadStepError extends Error {
  constructor(readonly issue: ProfileIssue) {
    super(formatIssue(issue));
    this.name = 'ReloadStepError';
  }
}

/** Who asked: a local reload (boot, admin API, file watcher) publishes its version; following another node's does not. */
type Trigger = 'local' | 'follow';

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
  private readonly watchers: FSWatcher[] = [];
  private debounce: NodeJS.Timeout | undefined;
  private readonly steps: ReloadStep[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REVISION_RECORDER) private readonly revisions: RevisionRecorder,
  ) {}

  /** At boot a broken profile stops the service: there is no good set to fall back on. */
  async onModuleInit(): Promise<void> {
    const { profiles, issues, templates } = await this.readFiles();
    if (issues.length > 0) throw new ProfileLoadError(issues);
    const changed = await this.install(profiles, profileSetVersion(profiles, templates), 'local', []);
    this.logger.log(`已加载 ${profiles.length} 个省份配置（版本 ${shortVersion(this.current().version)}）：${profiles.map((p) => p.profile.id).join(', ')}${changed.length ? `（新版本：${changed.join(', ')}）` : ''}`);
  }

  onApplicationBootstrap(): void {
    if (this.config.profilesWatch) this.startWatching();
  }

  onModuleDestroy(): void {
    clearTimeout(this.debounce);
    for (const watcher of this.watchers.splice(0)) watcher.close();
  }

  /** Another part that swaps with every reload from now on (the page templates register theirs at boot). */
  addReloadStep(step: ReloadStep): void {
    this.steps.push(step);
  }

  /**
   * Compile the folder (and re-read the templates) again; install the new set only if every file
   * is good, then publish its version so the other nodes follow (see ProfileSync).
   */
  reload(): Promise<ReloadOutcome> {
    return this.enqueue(() => this.reloadNow('local'));
  }

  /**
   * Another node published `version`: read the files again, without publishing. Nothing to do when
   * this node already serves it (and its last read was good); a node whose files are broken keeps
   * its running set and reports the problem, like a failed local reload.
   */
  follow(version: string): Promise<ReloadOutcome | undefined> {
    return this.enqueue(async () => {
      if (this.current().version === version && !this.lastFailure) return undefined;
      const outcome = await this.reloadNow('follow');
      if (outcome.ok && outcome.version !== version) {
        this.logger.warn(`本节点的配置文件与其他节点发布的版本 ${shortVersion(version)} 不同，本节点使用版本 ${shortVersion(outcome.version)}：各节点须读取同一份 provinces/ 与 templates/`);
      }
      return outcome;
    });
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async readFiles() {
    const [compiled, templates] = await Promise.all([compileProfileDir(this.config.profilesDir, this.config.templatesDir), templateFingerprints(this.config.templatesDir)]);
    return { ...compiled, templates };
  }

  private async reloadNow(trigger: Trigger): Promise<ReloadOutcome> {
    const { profiles, issues, templates } = await this.readFiles();
    const swaps: Array<() => void> = [];
    // Steps check only a set worth installing; each one's problem is listed like a profile's.
    if (issues.length === 0) {
      for (const step of this.steps) {
        try {
          swaps.push(await step.prepare());
        } catch (error) {
          issues.push(error instanceof ReloadStepError ? error.issue : { file: displayPath(this.config.templatesDir), line: 1, col: 1, pointer: '', message: String(error) });
        }
      }
    }
    if (issues.length > 0) {
      const current = this.current();
      this.lastFailure = { ok: false, version: current.version, loaded: current.profiles.map((p) => p.profile.id), issues, failedAt: new Date() };
      this.logger.error(`省份配置重新加载失败，继续使用版本 ${shortVersion(current.version)}：\n${issues.map(formatIssue).join('\n')}`);
      return this.lastFailure;
    }
    const before = this.current().byId;
    const changed = await this.install(profiles, profileSetVersion(profiles, templates), trigger, swaps);
    this.lastFailure = undefined;
    const snapshot = this.current();
    const removed = [...before.keys()].filter((id) => !snapshot.byId.has(id));
    const summary = [changed.length ? `变更：${changed.join(', ')}` : '', removed.length ? `移除：${removed.join(', ')}` : ''].filter(Boolean).join('；') || '无变更';
    this.logger.log(`省份配置已重新加载为版本 ${shortVersion(snapshot.version)}${trigger === 'follow' ? '（随其他节点）' : ''}，${summary}`);
    return { ok: true, version: snapshot.version, loaded: snapshot.profiles.map((p) => p.profile.id), changed, removed, loadedAt: snapshot.loadedAt };
  }

  private async install(profiles: readonly CompiledProfile[], version: string, trigger: Trigger, swaps: ReadonlyArray<() => void>): Promise<string[]> {
    const sorted = [...profiles].sort((a, b) => a.profile.code.localeCompare(b.profile.code));
    const next: ProfileSnapshot = {
      version,
      loadedAt: new Date(),
      profiles: sorted,
      byId: new Map(sorted.map((p) => [p.profile.id, p])),
      byCode: new Map(sorted.map((p) => [p.profile.code, p])),
      byHost: new Map(sorted.flatMap((p) => p.profile.hosts.map((host) => [host, p] as const))),
    };
    // The node that read the files first records and publishes; followers only compare with what they held.
    const changed = trigger === 'local' ? await this.revisions.recordChanged(sorted, { version, announce: this.snapshot !== undefined }) : changedSince(this.snapshot, sorted);
    // These assignments are the swap, all in one tick: readers hold either the old set or the new, never a mix.
    this.snapshot = next;
    for (const swap of swaps) swap();
    return changed;
  }

  private startWatching(): void {
    const schedule = () => {
      clearTimeout(this.debounce);
      this.debounce = setTimeout(() => {
        this.reload().catch((error: unknown) => this.logger.error(`省份配置重新加载出错：${String(error)}`));
      }, WATCH_DEBOUNCE_MS);
    };
    this.watchers.push(
      watch(this.config.profilesDir, (_event, name) => {
        if (!name || name.endsWith('.yaml')) schedule();
      }),
    );
    try {
      this.watchers.push(
        watch(this.config.templatesDir, { recursive: true }, (_event, name) => {
          if (!name || name.endsWith('.hbs')) schedule();
        }),
      );
    } catch (error) {
      this.logger.warn(`无法监视模板目录 ${this.config.templatesDir}：${String(error)}`);
    }
    this.logger.log(`正在监视 ${this.config.profilesDir} 与 ${this.config.templatesDir}，配置文件或模板变更后自动重新加载`);
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
  health(): { loaded: string[]; errors: string[]; version: string } {
    const snapshot = this.current();
    return { loaded: snapshot.profiles.map((p) => p.profile.id), errors: (this.lastFailure?.issues ?? []).map(formatIssue), version: snapshot.version };
  }
}

/** The first 12 hex digits: enough to tell versions apart in a log line. */
export function shortVersion(version: string): string {
  return version.slice(0, 12);
}

function changedSince(before: ProfileSnapshot | undefined, profiles: readonly CompiledProfile[]): string[] {
  return profiles.filter((p) => before?.byId.get(p.profile.id)?.hash !== p.hash).map((p) => p.profile.id);
}
