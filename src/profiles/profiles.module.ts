import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '#src/audit/audit.module.js';
import { APP_CONFIG, type AppConfig } from '#src/config/app-config.js';
import { AdminProfilesController } from '#src/profiles/admin-profiles.controller.js';
import { newNodeIdentity, NODE_IDENTITY, type NodeIdentity } from '#src/profiles/node-identity.js';
import { ProvincesController } from '#src/profiles/provinces.controller.js';
import { ProfileRegistry, REVISION_RECORDER } from '#src/profiles/profile-registry.service.js';
import { ProfileRevision } from '#src/profiles/profile-revision.entity.js';
import { ProfileRevisionsService } from '#src/profiles/profile-revisions.service.js';
import { ProfileSync, postgresListen } from '#src/profiles/profile-sync.js';

/** A missed notification is noticed within this long; a dropped LISTEN connection retries up to every 5 s. */
const SYNC_POLL_MS = 5_000;
const SYNC_MAX_RETRY_MS = 5_000;

@Module({
  imports: [TypeOrmModule.forFeature([ProfileRevision]), AuditModule],
  controllers: [ProvincesController, AdminProfilesController],
  providers: [
    { provide: NODE_IDENTITY, useFactory: newNodeIdentity },
    ProfileRevisionsService,
    { provide: REVISION_RECORDER, useExisting: ProfileRevisionsService },
    ProfileRegistry,
    {
      provide: ProfileSync,
      inject: [APP_CONFIG, NODE_IDENTITY, ProfileRegistry, ProfileRevisionsService],
      useFactory: (config: AppConfig, node: NodeIdentity, registry: ProfileRegistry, revisions: ProfileRevisionsService) =>
        new ProfileSync({
          node,
          listen: config.database.kind === 'postgres' ? postgresListen(config.database.url, node) : undefined,
          latestVersion: () => revisions.latestSetVersion(),
          follow: (version) => registry.follow(version),
          pollMs: SYNC_POLL_MS,
          maxRetryMs: SYNC_MAX_RETRY_MS,
        }),
    },
  ],
  exports: [ProfileRegistry, ProfileSync, NODE_IDENTITY],
})
export class ProfilesModule {}
