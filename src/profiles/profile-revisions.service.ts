import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ProfileRevision } from '#src/profiles/profile-revision.entity.js';
import type { CompiledProfile } from '#src/profiles/profile-compiler.js';

/** What the registry needs from storage; a unit test of the registry may pass a plain object. */
export interface RevisionRecorder {
  /** Record the profiles whose resolved hash differs from their latest revision; returns their ids. */
  recordChanged(profiles: readonly CompiledProfile[]): Promise<string[]>;
}

@Injectable()
export class ProfileRevisionsService implements RevisionRecorder {
  constructor(@InjectRepository(ProfileRevision) private readonly revisions: Repository<ProfileRevision>) {}

  async recordChanged(profiles: readonly CompiledProfile[]): Promise<string[]> {
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
      return changed.map((p) => p.profile.id);
    });
  }

  /** Newest first. */
  async history(provinceId: string, limit = 20): Promise<ProfileRevision[]> {
    return this.revisions.find({ where: { provinceId }, order: { loadedAt: 'DESC', id: 'DESC' }, take: limit });
  }
}
