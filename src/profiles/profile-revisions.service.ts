import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '#src/config/app-config.js';
import { NODE_IDENTITY, type NodeIdentity } from '#src/profiles/node-identity.js';
import { ProfileRevision } from '#src/profiles/profile-revision.entity.js';
import type { CompiledProfile } from '#src/profiles/profile-compiler.js';

/** The PostgreSQL channel a published version is announced on (ProfileSync listens). */
export const PROFILE_RELOAD_CHANNEL = 'profile_reload';

/** What a notification on PROFILE_RELOAD_CHANNEL carries. */
export interface PublishedVersion {
  version: string;
  node: string;
}

/** The version of the whole set a node installed from its own files, and whether to tell the others even when nothing changed. */
export interface SetVersion {
  version: string;
  /** A reload (admin API, file watcher): the others re-read even an unchanged version, so a node that failed before gets another go. Boot announces only a new version. */
  announce: boolean;
}

/** What the registry needs from storage; a unit test of the registry may pass a plain object. */
export interface RevisionRecorder {
  /**
   * Record the profiles whose resolved hash differs from their latest revision, and the set's
   * version when it differs from the latest published one; announce it to the other nodes (only
   * once the transaction commits). Returns the ids of the changed profiles.
   */
  recordChanged(profiles: readonly CompiledProfile[], set: SetVersion): Promise<string[]>;
}

@Injectable()
export class ProfileRevisionsService implements RevisionRecorder {
  constructor(
    @InjectRepository(ProfileRevision) private readonly revisions: Repository<ProfileRevision>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(NODE_IDENTITY) private readonly node: NodeIdentity,
  ) {}

  async recordChanged(profiles: readonly CompiledProfile[], set: SetVersion): Promise<string[]> {
    return this.revisions.manager.transaction(async (manager) => {
      const latest: Array<{ province_id: string; hash: string }> = await manager.query(
        `SELECT DISTINCT ON (province_id) province_id, hash FROM profile_revisions ORDER BY province_id, loaded_at DESC, id DESC`,
      );
      const current = new Map(latest.map((row) => [row.province_id, row.hash]));
      const changed = profiles.filter((p) => current.get(p.profile.id) !== p.hash);
      if (changed.length > 0) {
        await manager.insert(
          ProfileRevision,
          changed.map((p) => ({ provinceId: p.profile.id, hash: p.hash, nationalFile: p.files.national, provinceFile: p.files.province })),
        );
      }
      await this.publish(manager, set);
      return changed.map((p) => p.profile.id);
    });
  }

  private async publish(manager: EntityManager, set: SetVersion): Promise<void> {
    const isNew = (await latestSetVersion(manager)) !== set.version;
    if (isNew) await manager.query(`INSERT INTO profile_set_versions (version, node_id) VALUES ($1, $2)`, [set.version, this.node.id]);
    // NOTIFY is delivered at commit, so no node hears of a version before it is the latest recorded.
    // Embedded PGlite has no other process to tell.
    if ((isNew || set.announce) && this.config.database.kind === 'postgres') {
      const payload: PublishedVersion = { version: set.version, node: this.node.id };
      await manager.query(`SELECT pg_notify($1, $2)`, [PROFILE_RELOAD_CHANNEL, JSON.stringify(payload)]);
    }
  }

  /** The version the deployment's nodes should serve: the last one any of them published. */
  async latestSetVersion(): Promise<string | undefined> {
    return latestSetVersion(this.revisions.manager);
  }

  /** Newest first. */
  async history(provinceId: string, limit = 20): Promise<ProfileRevision[]> {
    return this.revisions.find({ where: { provinceId }, order: { loadedAt: 'DESC', id: 'DESC' }, take: limit });
  }
}

async function latestSetVersion(manager: EntityManager): Promise<string | undefined> {
  const rows: Array<{ version: string }> = await manager.query(`SELECT version FROM profile_set_versions ORDER BY id DESC LIMIT 1`);
  return rows[0]?.version;
}
