import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig, type PGlitePgConfig } from '@electric-sql/pglite/node-postgres';
import type { DataSource } from 'typeorm';
import { acquireDataDirLock, type DataDirLock } from '#src/database/data-dir-lock.js';

export const IN_MEMORY = 'memory://';

/**
 * The embedded PostgreSQL (PGlite) and the lock on its directory. Opened before the Nest app is
 * built, so whoever opens it can close it even when the app fails to start.
 */
export class EmbeddedDatabase {
  private dataSource: DataSource | undefined;
  private closing: Promise<void> | undefined;

  private constructor(
    /** Absolute path, or `memory://`. */
    readonly dataDir: string,
    readonly pglite: PGlite,
    private readonly lock: DataDirLock | undefined,
  ) {}

  /** `initialDump` (from `dump()`) fills an in-memory database; a directory keeps its own data. */
  static async open(dataDir: string, initialDump?: Blob): Promise<EmbeddedDatabase> {
    const inMemory = dataDir.startsWith(IN_MEMORY);
    if (initialDump && !inMemory) throw new Error('EmbeddedDatabase: a dump seeds only an in-memory database');
    const dir = inMemory ? dataDir : resolve(dataDir);
    const lock = inMemory ? undefined : acquireDataDirLock(dir);
    try {
      if (!inMemory) mkdirSync(dir, { recursive: true });
      const pglite = new PGlite(dir, initialDump ? { loadDataDir: initialDump } : {});
      await pglite.waitReady;
      return new EmbeddedDatabase(dir, pglite, lock);
    } catch (error) {
      lock?.release();
      throw error;
    }
  }

  get inMemory(): boolean {
    return this.dataDir.startsWith(IN_MEMORY);
  }

  /** node-postgres options that talk to this PGlite in process; PGlite has one session, so a pool of one. */
  pgConfig(): PGlitePgConfig {
    return createPgConfig(this.pglite);
  }

  /** The whole data directory as an uncompressed tarball, for `open(IN_MEMORY, dump)`. */
  dump(): Promise<Blob> {
    return this.pglite.dumpDataDir('none');
  }

  /** The data source using this database: closed first, so no query is cut off by PGlite closing. */
  attach(dataSource: DataSource): void {
    this.dataSource = dataSource;
  }

  /** Idempotent: the app's shutdown hook and a failed start may both call it. */
  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    try {
      if (this.dataSource?.isInitialized) await this.dataSource.destroy();
      if (!this.pglite.closed) await this.pglite.close();
    } finally {
      this.lock?.release();
    }
  }
}
