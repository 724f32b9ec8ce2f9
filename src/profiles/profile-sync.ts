import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import pg from 'pg';
import type { NodeIdentity } from '#src/profiles/node-identity.js';
import { PROFILE_RELOAD_CHANNEL, type PublishedVersion } from '#src/profiles/profile-revisions.service.js';

/** A connection that has run LISTEN: it calls onPayload per notification and onLost once when it ends. */
export type Listen = (onPayload: (payload: string) => void, onLost: (error?: Error) => void) => Promise<{ close(): Promise<void> }>;

export interface ProfileSyncDeps {
  node: NodeIdentity;
  /** Undefined on embedded PGlite: no other process can hear, so the mechanism is off. */
  listen: Listen | undefined;
  /** The last version any node published (profile_set_versions). */
  latestVersion(): Promise<string | undefined>;
  /** ProfileRegistry.follow: re-read the files unless this node already serves that version. */
  follow(version: string): Promise<unknown>;
  /** The fallback check, should a notification be lost (a dropped connection that nobody noticed yet). */
  pollMs: number;
  /** The longest wait between reconnection attempts; they start at a tenth of it. */
  maxRetryMs: number;
}

export interface ProfileSyncStatus {
  mechanism: 'postgres-listen' | 'off';
  /** The LISTEN connection is up. */
  listening: boolean;
  /** The latest version this node heard of (notification, reconnect or poll). */
  published: string | undefined;
}

/**
 * Makes a reload on one node reach every node (issue 10): PostgreSQL LISTEN on the channel the
 * recorder NOTIFYs when it commits a reload. A node re-reads the shared files when another node
 * published a version, and catches up on what it missed by comparing with the latest recorded
 * version when it starts, whenever its connection comes back, and on a timer.
 */
export class ProfileSync implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ProfileSync');
  private connection: { close(): Promise<void> } | undefined;
  /** Each connection attempt's number: the end of an older one is not news. */
  private attempt = 0;
  private stopped = false;
  private published: string | undefined;
  private retryMs: number;
  private retryTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  /** One check at a time: a slow reload must not stack up the timer's checks. */
  private checking: Promise<void> | undefined;

  constructor(private readonly deps: ProfileSyncDeps) {
    this.retryMs = deps.maxRetryMs / 10;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.deps.listen) {
      this.logger.log('嵌入式数据库：单节点运行，不向其他节点同步配置重新加载');
      return;
    }
    await this.connect();
    this.pollTimer = setInterval(() => void this.check(), this.deps.pollMs);
    this.pollTimer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.pollTimer);
    clearTimeout(this.retryTimer);
    const connection = this.connection;
    this.connection = undefined;
    await connection?.close().catch(() => undefined);
  }

  status(): ProfileSyncStatus {
    return { mechanism: this.deps.listen ? 'postgres-listen' : 'off', listening: this.connection !== undefined, published: this.published };
  }

  /** Follow the latest recorded version if it is news to this node. */
  check(): Promise<void> {
    this.checking ??= this.checkNow().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async checkNow(): Promise<void> {
    try {
      const latest = await this.deps.latestVersion();
      if (latest === undefined || latest === this.published) return;
      this.published = latest;
      await this.deps.follow(latest);
    } catch (error) {
      this.logger.warn(`检查最新配置版本失败：${String(error)}`);
    }
  }

  private async connect(): Promise<void> {
    const listen = this.deps.listen;
    if (!listen || this.stopped) return;
    const attempt = ++this.attempt;
    try {
      const connection = await listen(
        (payload) => this.heard(payload),
        (error) => this.lost(attempt, error),
      );
      if (this.stopped || attempt !== this.attempt) {
        await connection.close().catch(() => undefined);
        return;
      }
      this.connection = connection;
      this.retryMs = this.deps.maxRetryMs / 10;
    } catch (error) {
      this.lost(attempt, error instanceof Error ? error : new Error(String(error)));
      return;
    }
    // Whatever was published while this node was not listening.
    await this.check();
  }

  private heard(payload: string): void {
    let published: PublishedVersion;
    try {
      published = JSON.parse(payload) as PublishedVersion;
    } catch {
      this.logger.warn(`忽略无法解析的配置版本通知：${payload.slice(0, 100)}`);
      return;
    }
    this.published = published.version;
    if (published.node === this.deps.node.id) return;
    this.deps.follow(published.version).catch((error: unknown) => this.logger.error(`随其他节点重新加载配置出错：${String(error)}`));
  }

  private lost(attempt: number, error: Error | undefined): void {
    if (this.stopped || attempt !== this.attempt) return;
    this.attempt++;
    this.connection = undefined;
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, this.deps.maxRetryMs);
    this.logger.warn(`配置同步连接中断（${error?.message ?? '连接关闭'}），${wait} ms 后重连`);
    this.retryTimer = setTimeout(() => void this.connect(), wait);
    this.retryTimer.unref();
  }
}

/** LISTEN on its own connection (a pooled one would be handed to other queries). */
export function postgresListen(url: string, node: NodeIdentity): Listen {
  return async (onPayload, onLost) => {
    // The node in application_name lets an operator (and a test) find this connection in pg_stat_activity.
    const client = new pg.Client({ connectionString: url, application_name: `pe-profile-sync ${node.id}`, keepAlive: true });
    let ended = false;
    const end = (error?: Error) => {
      if (ended) return;
      ended = true;
      onLost(error);
    };
    client.on('notification', (message) => {
      if (message.channel === PROFILE_RELOAD_CHANNEL && message.payload) onPayload(message.payload);
    });
    client.on('error', (error) => end(error));
    client.on('end', () => end());
    try {
      await client.connect();
      await client.query(`LISTEN ${PROFILE_RELOAD_CHANNEL}`);
    } catch (error) {
      ended = true;
      await client.end().catch(() => undefined);
      throw error;
    }
    return {
      close: async () => {
        ended = true;
        await client.end();
      },
    };
  };
}
